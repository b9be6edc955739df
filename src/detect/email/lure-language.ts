/** A kind of pretext a phishing message uses to make its reader act. */
export type LureCategory = "interview" | "document" | "account-security" | "money" | "urgency";

/** One explainable pattern of lure language and the category it evidences. */
interface LurePattern {
  category: LureCategory;
  pattern: RegExp;
}

/*
 * Small, readable rules for the pretexts of spear-phishing against campaigns and
 * newsrooms (invitations to interviews, podcasts and events from fake journalists and
 * think-tanks; shared documents; account-security alerts) and the urgency that goes with
 * them. English only for now. Each phrase is whole-word and case-insensitive; each
 * category counts once however many phrases match, so repetition adds nothing.
 */
const PATTERNS: readonly LurePattern[] = [
  // Invitations: the rapport-building pretext of fake journalists and event organisers.
  {
    category: "interview",
    pattern:
      /\b(?:invite|invitation|inviting) you (?:to|for) (?:an? |our )?(?:interview|podcast|webinar|panel|conference|roundtable|discussion|event|summit|talk)/i,
  },
  {
    category: "interview",
    pattern: /\b(?:request(?:ing)? an|for an|schedule an|arrange an) interview\b/i,
  },
  {
    category: "interview",
    pattern:
      /\b(?:guest|speaker) (?:on|at|for) (?:our|the|my) (?:podcast|show|webinar|panel|conference)\b/i,
  },
  {
    category: "interview",
    pattern:
      /\b(?:would you be (?:available|willing|interested)|are you available) (?:for|to) (?:an? )?(?:interview|call|comment|chat|speak)/i,
  },
  {
    category: "interview",
    pattern:
      /\b(?:your (?:insights?|perspective|expertise|views) (?:on|would)|we(?:'d| would) (?:love|like) to (?:hear|have you))/i,
  },
  // Documents: the shared-file pretext that leads to a login page or a payload.
  {
    category: "document",
    pattern:
      /\b(?:shared|sent) (?:a |an |the )?(?:document|file|folder|spreadsheet|pdf|presentation)s? with you\b/i,
  },
  {
    category: "document",
    pattern:
      /\b(?:view|open|review|access|download) (?:the |your |this )?(?:shared |secure |attached |encrypted )?(?:document|file|pdf|invoice|statement|fax|voicemail|message)s?\b/i,
  },
  {
    category: "document",
    pattern:
      /\b(?:review and sign|sign the document|docusign|e-?signature|secure message|encrypted message)\b/i,
  },
  {
    category: "document",
    pattern:
      /\byou have (?:received )?(?:a |an |\d+ )?(?:new )?(?:document|file|fax|voicemail|secure message|pending message)s?\b/i,
  },
  // Account security: the alert that asks for a password.
  {
    category: "account-security",
    pattern:
      /\b(?:verify|confirm|validate|update|secure|reactivate|unlock) (?:your |the )?(?:account|identity|email|mailbox|password|login|credentials|information|details)\b/i,
  },
  {
    category: "account-security",
    pattern:
      /\b(?:unusual|suspicious|unauthori[sz]ed|new) (?:sign-?in|log-?in|login attempt|activity|access)\b/i,
  },
  {
    category: "account-security",
    pattern:
      /\b(?:password|mailbox|account|storage|subscription) (?:(?:will |has |is )?(?:expire[sd]?|expiring|suspended|locked|disabled|full|deactivated|on hold|limited))\b/i,
  },
  { category: "account-security", pattern: /\b(?:reset|change) your password\b/i },
  {
    category: "account-security",
    pattern:
      /\b(?:re-?log ?in|re-?authenticate|re-?validate|keep (?:using )?(?:your |the )?(?:same |current )?password)\b/i,
  },
  {
    category: "account-security",
    pattern:
      /\b(?:mailbox|email|storage|cloud|inbox) (?:quota|capacity|storage|space) (?:is |has )?(?:full|exceeded|reached|almost|at \d)/i,
  },
  {
    category: "account-security",
    pattern:
      /\b(?:account|wallet|card|device|mailbox|access) (?:has been |have been |was |is |will be )?(?:temporarily )?(?:blocked|suspended|locked|restricted|compromised|deactivated)\b/i,
  },
  {
    category: "account-security",
    pattern:
      /\b(?:incoming|pending|undelivered) (?:e-?mails?|messages?) (?:have been |has been |were |are )?(?:blocked|held|on hold|delayed|suspended|pending)\b/i,
  },
  {
    category: "account-security",
    pattern:
      /\bpassword (?:will |is going to |is about to )?expire|\bconfirm (?:your )?(?:ownership|e-?mail address)\b/i,
  },
  // The same alerts in the other languages phishing most often arrives in.
  {
    category: "account-security",
    pattern:
      /\b(?:(?:sua|tu|su) (?:conta|cuenta|cartão|tarjeta)|seu (?:cartão|dispositivo|acesso)|(?:ihr |dein )?konto|votre compte) (?:foi |está |ha sido |está |wurde |ist |a été |est )?(?:temporariamente |vorübergehend |temporalmente |temporairement )?(?:bloquead[oa]|suspens[oa]|suspendid[oa]|gesperrt|eingeschränkt|deaktiviert|bloqué|suspendu|désactivé)/i,
  },
  {
    category: "account-security",
    pattern:
      /\b(?:(?:atualize|confirme|verifique) (?:seus|sus|os seus) dados|(?:bestätigen|verifizieren|aktualisieren) sie (?:ihr|ihre|jetzt)|(?:vérifiez|confirmez|mettez à jour) (?:votre|vos))\b/i,
  },
  {
    category: "account-security",
    pattern: /\b(?:sign|log) ?in to (?:your )?(?:account|mailbox|email|portal)\b/i,
  },
  // Money: payment, gift cards, wallets, prizes and advance fees.
  {
    category: "money",
    pattern:
      /\b(?:gift ?cards?|itunes cards?|google play cards?|steam cards?|(?:crypto|bitcoin|btc|usdt|eth) ?wallet|wallet address|seed phrase|recovery phrase|secret phrase|wire transfer|western union|moneygram|processing fee|clearance fee|transfer fee)\b/i,
  },
  {
    category: "money",
    pattern:
      /\b(?:you(?:'ve| have) (?:won|been selected|been chosen)|you won (?:a|an|the|\$|€|£)|lottery|sweepstakes?|inheritance|next of kin|(?:the )?beneficiary|unclaimed (?:funds?|prize)|claim (?:your |the )?(?:prize|reward|fund|funds|payment|compensation|airdrop|tokens?|bonus|gift))\b/i,
  },
  {
    category: "money",
    pattern:
      /(?:\b(?:us ?)?\$|\busd ?|€|£)\s?\d{1,3}(?:[,.]\d{3}){2,}|\b\d+(?:[.,]\d+)? ?million (?:us |united states )?(?:dollars|usd|euros?|pounds)\b|\b(?:us ?\$|usd) ?\d+(?:[.,]\d+)? ?(?:million|m)\b/i,
  },
  {
    category: "money",
    pattern:
      /\b(?:você ganhou|ha ganado|vous avez gagné|sie haben gewonnen|gewinnspiel|gutschein|pontos? (?:\w+ ){0,3}(?:expiram|disponíve(?:l|is) para resgate)|resgate (?:seus|os seus) pontos|prêmio|premio)\b/i,
  },
  // Urgency: pressure not to stop and check.
  {
    category: "urgency",
    pattern: /\b(?:urgent(?:ly)?|immediately|as soon as possible|right away|without delay)\b/i,
  },
  {
    category: "urgency",
    pattern:
      /\bwithin (?:the next )?(?:\d{1,2}|twenty-four|forty-eight|24|48|72) ?(?:hours?|hrs?)\b/i,
  },
  {
    category: "urgency",
    pattern:
      /\b(?:action required|final (?:notice|warning|reminder)|last (?:warning|chance|reminder)|failure to (?:comply|respond|verify))\b/i,
  },
  { category: "urgency", pattern: /\b(?:expires? today|by end of (?:the )?day|today only)\b/i },
  {
    category: "urgency",
    pattern:
      /\b(?:urgente|imediatamente|inmediatamente|dringend|sofort|umgehend|immédiatement|expiram hoje|vencem hoje|letzte (?:mahnung|warnung|chance|erinnerung)|dernier (?:avis|rappel)|última (?:chance|oportunidad|notificação))\b/i,
  },
];

/** Characters of subject and body searched: lures come first, in the opening lines. */
export const MAX_LURE_TEXT = 20_000;

/** A category that matched, with the first phrase that made it match. */
export interface LureMatch {
  category: LureCategory;
  phrase: string;
}

/**
 * The lure categories whose phrases appear in a message's subject and text, each once,
 * with the phrase that matched first (for the reason's feature).
 *
 * @example findLures("Invitation", "We would like to invite you to a podcast") // [{ category: "interview", … }]
 */
export function findLures(subject: string, text: string): LureMatch[] {
  const haystack = `${subject}\n${text.slice(0, MAX_LURE_TEXT)}`.replace(/\s+/g, " ");
  const found = new Map<LureCategory, string>();
  for (const { category, pattern } of PATTERNS) {
    if (found.has(category)) continue;
    const match = pattern.exec(haystack);
    if (match !== null) found.set(category, match[0].slice(0, 100));
  }
  return [...found].map(([category, phrase]) => ({ category, phrase }));
}
