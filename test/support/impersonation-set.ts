/**
 * A seeded set of messages about a watchlist of fictional campaign people: genuine mail
 * from their own addresses, and impersonations of them — their name on another address
 * (free mail, another organisation) and their address on a lookalike of their
 * organisation's domain. Used by the tests (small) and by bench/email (full size) to
 * measure what the issue asks: impersonations caught, genuine mail not flagged.
 * Dependency-free (the lookalike generator is passed in), so both can use it.
 */
import { prng } from "./random.js";

const FIRST = [
  "Dana",
  "Marcus",
  "Priya",
  "Elena",
  "Tomasz",
  "Aisha",
  "Colin",
  "Naomi",
  "Rafael",
  "Ingrid",
  "Kwame",
  "Beatriz",
  "Owen",
  "Yuki",
  "Samira",
  "Declan",
  "Lucia",
  "Anders",
  "Mei",
  "Tobias",
];
const LAST = [
  "Whitfield",
  "Oyelaran",
  "Castellano",
  "Varga",
  "Lindqvist",
  "Okafor",
  "Brennan",
  "Haddad",
  "Moreau",
  "Sato",
  "Kowalski",
  "Abernathy",
  "Delacroix",
  "Nakamura",
  "Fitzgerald",
  "Adeyemi",
];
const ORGS = ["harperforamerica", "ohiovoters", "greenfieldcampaign", "lakeshoredems"];
const FREEMAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me"];
const OTHER_ORGS = ["consultancy-partners.example", "events-hub.example", "media-desk.example"];

const GENUINE = [
  ["Tuesday's town hall", "Here is the run of show for Tuesday. Doors open at six."],
  ["Notes from today", "Thanks for the call. My notes are below; let me know what I missed."],
  ["Volunteer numbers", "We had 140 volunteers out this weekend, up from 110."],
  ["Budget for May", "The May budget is attached as agreed in the meeting."],
];
const IMPERSONATION = [
  [
    "Quick favour",
    "Are you at your desk? I need you to review a document before the meeting today.",
  ],
  ["Updated schedule", "Please look at the updated schedule and confirm by end of day."],
  ["Interview request", "A reporter asked me to connect you for an interview this week."],
  ["Shared document", "I shared the draft with you, please sign in to view it."],
];

export type ImpersonationKind = "genuine" | "name-elsewhere" | "lookalike-domain";

export interface ImpersonationCase {
  id: string;
  kind: ImpersonationKind;
  /** Whether triage should flag it (phishing or suspicious). */
  expectFlag: boolean;
  raw: string;
}

export interface ImpersonationSet {
  /** A vigil.yaml watchlist (plain data: parse it with WatchlistSchema). */
  watchlist: {
    people: Array<{ name: string; emails: string[]; organisation: string }>;
    organisations: Array<{ name: string; domains: string[] }>;
  };
  cases: ImpersonationCase[];
}

/**
 * `people` fictional people over four fictional organisations, each with one genuine
 * message, one message with their name on another address and one from a lookalike of
 * their organisation's domain (picked from `lookalikes(domain)`, e.g. `vigil domains
 * permute`'s list without the TLD swaps).
 */
export function impersonationSet(options: {
  seed: number;
  people: number;
  lookalikes: (domain: string) => readonly string[];
}): ImpersonationSet {
  const next = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const organisations = ORGS.map((o) => ({ name: o, domains: [`${o}.example`] }));
  const people: ImpersonationSet["watchlist"]["people"] = [];
  const used = new Set<string>();
  while (people.length < options.people && used.size < FIRST.length * LAST.length) {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    if (used.has(name)) continue;
    used.add(name);
    const org = pick(organisations);
    const [first = "", last = ""] = name.toLowerCase().split(" ");
    people.push({ name, emails: [`${first}.${last}@${org.domains[0]}`], organisation: org.name });
  }
  const cases: ImpersonationCase[] = [];
  people.forEach((person, i) => {
    const address = person.emails[0] as string;
    const [local, domain = ""] = address.split("@");
    const colleague = people[(i + 1) % people.length]?.emails[0] ?? "staff@campaign.example";
    const mail = (from: string, [subject, body]: readonly string[], n: number) =>
      [
        `From: ${person.name} <${from}>`,
        `To: ${colleague}`,
        `Subject: ${subject}`,
        `Message-ID: <${i}.${n}@${from.split("@")[1]}>`,
        "Content-Type: text/plain; charset=utf-8",
        "",
        body ?? "",
        "",
        person.name.split(" ")[0],
        "",
      ].join("\r\n");
    cases.push({
      id: `${i}-genuine`,
      kind: "genuine",
      expectFlag: false,
      raw: mail(address, pick(GENUINE), 1),
    });
    const elsewhere =
      next() < 0.7
        ? `${local}.${Math.floor(next() * 90) + 10}@${pick(FREEMAIL)}`
        : `${local}@${pick(OTHER_ORGS)}`;
    cases.push({
      id: `${i}-name-elsewhere`,
      kind: "name-elsewhere",
      expectFlag: true,
      raw: mail(elsewhere, pick(IMPERSONATION), 2),
    });
    const near = options.lookalikes(domain);
    if (near.length > 0) {
      cases.push({
        id: `${i}-lookalike`,
        kind: "lookalike-domain",
        expectFlag: true,
        raw: mail(`${local}@${pick(near)}`, pick(IMPERSONATION), 3),
      });
    }
  });
  return { watchlist: { people, organisations }, cases };
}
