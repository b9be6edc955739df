import type { Evidence, Technique } from "../../model/index.js";

/** Every rule the email detector can fire, with its weight (see docs/email-report.md). */
export const EMAIL_RULE_WEIGHTS = {
  // Sender impersonation
  "watchlist-name-other-address": 0.55,
  "watchlist-name-colleague-address": 0.25,
  /** A listed person's name signing the message from an address not theirs. */
  "watchlist-signature-other-address": 0.4,
  "lookalike-sender-domain": 0.6, // × the lookalike's score
  "spoofed-protected-domain": 0.5,
  "freemail-claims-watchlist": 0.35,
  "freemail-claims-organisation": 0.15,
  "display-name-address": 0.3,
  "display-name-domain": 0.2,
  "reply-to-freemail": 0.3,
  "reply-to-elsewhere": 0.15,
  "return-path-freemail": 0.1,
  "from-without-address": 0.3,
  "free-hosting-sender": 0.2,
  // Authentication
  "dmarc-fail": 0.3,
  "dmarc-fail-enforced": 0.4,
  "spf-fail": 0.15,
  "spf-softfail": 0.05,
  "dkim-fail": 0.1,
  "authenticated-protected-sender": -0.3,
  // Links
  "lookalike-link-domain": 0.5, // × the lookalike's score
  "link-text-mismatch": 0.35,
  "ip-literal-link": 0.3,
  "punycode-link": 0.2,
  "credential-path-link": 0.15,
  "url-shortener": 0.15,
  "redirector-link": 0.15,
  "form-service-link": 0.2,
  "file-sharing-link": 0.15,
  "free-hosting-link": 0.15,
  // Attachments
  "risky-attachment": 0.5,
  "macro-document": 0.45,
  "archive-risky-content": 0.5,
  "encrypted-archive": 0.35,
  "archive-bomb": 0.3,
  "extension-mismatch": 0.35,
  "double-extension": 0.3,
  // Brands phishing imitates (see brand-catalogue.ts), on mail not from their domains
  "brand-display-name": 0.45,
  "brand-in-address": 0.3,
  "brand-lure": 0.2,
  "brand-link-elsewhere": 0.15,
  // Obfuscation of text and links
  "invisible-characters": 0.4,
  "disguised-letters": 0.4,
  "script-link": 0.3,
  "userinfo-link": 0.3,
  "obfuscated-link": 0.15,
  // Lure language (each category once; full weight only with something to click or open)
  "lure-interview": 0.15,
  "lure-document": 0.2,
  "lure-account-security": 0.25,
  "lure-money": 0.2,
  "lure-urgency": 0.1,
  /** Urgency together with an account, document or money pretext and something to act on. */
  "lure-pressure": 0.1,
  // Correspondent history (only when the pipeline passes the stored history; see
  // history-signals.ts): first contact, and signs of a hijacked account or thread
  "first-contact": 0.1,
  "known-sender-new-reply-path": 0.3, // half for a new Return-Path alone
  "thread-new-reply-path": 0.15,
  "known-sender-new-link-domain": 0.15,
} as const;
export type EmailRule = keyof typeof EMAIL_RULE_WEIGHTS | "lure-cap" | "score-cap" | "score-floor";

/** Most that lure language alone adds: words never make a message phishing by themselves. */
export const MAX_LURE_WEIGHT = 0.35;
/** A message scoring at least this is `phishing`. */
export const PHISHING_SCORE = 0.7;
/** A message scoring at least this (and below `PHISHING_SCORE`) is `suspicious`. */
export const SUSPICIOUS_SCORE = 0.4;

export type EmailVerdict = "phishing" | "suspicious" | "clean";

export function verdictFor(score: number): EmailVerdict {
  if (score >= PHISHING_SCORE) return "phishing";
  if (score >= SUSPICIOUS_SCORE) return "suspicious";
  return "clean";
}

/** ATT&CK techniques the email rules evidence. */
export const EMAIL_TECHNIQUES = {
  attachment: { framework: "ATT&CK", id: "T1566.001", name: "Phishing: Spearphishing Attachment" },
  link: { framework: "ATT&CK", id: "T1566.002", name: "Phishing: Spearphishing Link" },
  service: { framework: "ATT&CK", id: "T1566.003", name: "Phishing: Spearphishing via Service" },
  information: { framework: "ATT&CK", id: "T1598", name: "Phishing for Information" },
  impersonation: { framework: "ATT&CK", id: "T1656", name: "Impersonation" },
  domains: { framework: "ATT&CK", id: "T1583.001", name: "Acquire Infrastructure: Domains" },
  phishing: { framework: "ATT&CK", id: "T1566", name: "Phishing" },
  compromise: { framework: "ATT&CK", id: "T1586", name: "Compromise Accounts" },
} as const satisfies Record<string, Technique>;
export type EmailTechnique = keyof typeof EMAIL_TECHNIQUES;

/** One rule that fired on a message: a reason in the making, with what it evidences. */
export interface EmailSignal {
  rule: EmailRule;
  feature: string;
  weight: number;
  explanation: string;
  techniques: readonly EmailTechnique[];
  evidence?: Evidence[];
  /** Who on the watchlist it concerns, when it is about someone listed. */
  target?: { type: "person" | "organisation" | "outlet"; id: string; name: string };
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
