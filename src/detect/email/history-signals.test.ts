import { describe, expect, it } from "vitest";
import { parsedMessage } from "../../../test/support/mail-fixtures.js";
import { type EmailMessage, WatchlistSchema } from "../../model/index.js";
import { type CorrespondentHistory, correspondenceFacts } from "./correspondent-history.js";
import { EmailDetector } from "./email-detector.js";

const detector = new EmailDetector(
  WatchlistSchema.parse({
    organisations: [{ name: "Harper for America", domains: ["harperforamerica.example"] }],
  }),
);

function message(fields: Partial<EmailMessage>): EmailMessage {
  return parsedMessage({
    subject: "Notes",
    from: { name: "Priya Castellano", address: "priya@castellano.example" },
    to: [{ name: "Dana", address: "dana@harperforamerica.example" }],
    text: "Here are my notes.",
    ...fields,
  });
}

function history(fields: Partial<CorrespondentHistory> = {}): CorrespondentHistory {
  return {
    known: [],
    senderMessages: 0,
    recipientsWithHistory: [],
    replyPathDomains: [],
    linkDomains: [],
    replyPathsFull: false,
    linkDomainsFull: false,
    ...fields,
  };
}

/** Priya has written to Dana three times, from her own domain, linking to her own site. */
const knownPriya = history({
  known: [
    {
      recipient: "dana@harperforamerica.example",
      messages: 3,
      firstSeen: "2024-05-01T00:00:00.000Z",
      lastSeen: "2024-06-01T00:00:00.000Z",
    },
  ],
  senderMessages: 3,
  recipientsWithHistory: ["dana@harperforamerica.example"],
  replyPathDomains: ["castellano.example"],
  linkDomains: ["castellano.example", "podcasts.example"],
});

const rulesOf = (m: EmailMessage, h?: CorrespondentHistory) =>
  detector.assess(m, h).reasons.map((r) => r.rule);

describe("history rules", () => {
  it("fire on nothing without history, as in the bench", () => {
    const m = message({
      replyTo: [{ name: "", address: "priya.media@gmail.com" }],
      links: [{ href: "https://portal.example/signin", from: "html" }],
    });
    const fired = rulesOf(m);
    for (const rule of [
      "first-contact",
      "known-sender-new-reply-path",
      "thread-new-reply-path",
      "known-sender-new-link-domain",
    ]) {
      expect(fired).not.toContain(rule);
    }
  });

  it("say first contact only when the recipient's mailbox has history", () => {
    const stranger = message({ from: { name: "", address: "ellen@newsroom.example" } });
    // The store knows nothing of Dana: the first message of all is not a first contact.
    expect(rulesOf(stranger, history())).not.toContain("first-contact");
    const a = detector.assess(
      stranger,
      history({ recipientsWithHistory: ["dana@harperforamerica.example"] }),
    );
    const reason = a.reasons.find((r) => r.rule === "first-contact");
    expect(reason?.weight).toBe(0.1);
    expect(reason?.feature).toContain("dana@harperforamerica.example");
    expect(a.techniques.map((t) => t.id)).toContain("T1566");
    expect(a.verdict).toBe("clean");
    // A sender who wrote to Dana before is no stranger.
    expect(rulesOf(message({}), knownPriya)).not.toContain("first-contact");
  });

  it("leaves a colleague on the organisation's own domain alone", () => {
    const colleague = message({
      from: { name: "Miguel", address: "miguel@harperforamerica.example" },
    });
    expect(
      rulesOf(colleague, history({ recipientsWithHistory: ["dana@harperforamerica.example"] })),
    ).not.toContain("first-contact");
  });

  it("flag a known contact whose replies go to a new domain, more so in a thread", () => {
    const hijacked = message({
      replyTo: [{ name: "Priya", address: "priya.media@gmail.com" }],
      inReplyTo: "<earlier@castellano.example>",
    });
    const a = detector.assess(hijacked, knownPriya);
    const rules = a.reasons.map((r) => r.rule);
    expect(rules).toEqual(
      expect.arrayContaining(["known-sender-new-reply-path", "thread-new-reply-path"]),
    );
    expect(a.reasons.find((r) => r.rule === "known-sender-new-reply-path")?.weight).toBe(0.3);
    expect(a.techniques.map((t) => t.id)).toEqual(
      expect.arrayContaining(["T1566", "T1656", "T1586"]),
    );
    expect(a.evidence).toContainEqual(
      expect.objectContaining({ type: "new-reply-path", value: "gmail.com" }),
    );
    const sum = a.reasons.reduce((s, r) => s + r.weight, 0);
    expect(sum).toBeCloseTo(a.score, 3);
    // The same Reply-To seen from her before is not news.
    const usual = history({ ...knownPriya, replyPathDomains: ["castellano.example", "gmail.com"] });
    expect(rulesOf(hijacked, usual)).not.toContain("known-sender-new-reply-path");
    // Nor is a stranger's: "new" needs earlier mail.
    expect(rulesOf(hijacked, history())).not.toContain("known-sender-new-reply-path");
  });

  it("weigh a new Return-Path alone at half", () => {
    const m = message({ returnPath: "bounce@mailer-elsewhere.example" });
    const reason = detector
      .assess(m, knownPriya)
      .reasons.find((r) => r.rule === "known-sender-new-reply-path");
    expect(reason?.weight).toBe(0.15);
    expect(reason?.feature).toContain("Return-Path");
    // Her own domain in Return-Path is nothing new.
    expect(rulesOf(message({ returnPath: "priya@castellano.example" }), knownPriya)).not.toContain(
      "known-sender-new-reply-path",
    );
  });

  it("name a new link domain from a known contact only beside another sign", () => {
    const plain = message({ links: [{ href: "https://news.example/story", from: "text" }] });
    expect(rulesOf(plain, knownPriya)).not.toContain("known-sender-new-link-domain");
    const lure = message({
      links: [{ href: "https://portal-docs.example/signin?next=q", from: "html" }],
    });
    const a = detector.assess(lure, knownPriya);
    expect(a.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining(["credential-path-link", "known-sender-new-link-domain"]),
    );
    expect(a.techniques.map((t) => t.id)).toContain("T1586");
    // Her usual sites, and the organisation's own, are not new.
    const usual = message({
      links: [{ href: "https://podcasts.example/signin", from: "html" }],
    });
    expect(rulesOf(usual, knownPriya)).not.toContain("known-sender-new-link-domain");
  });

  it("say nothing is new when the stored lists were full", () => {
    const m = message({
      replyTo: [{ name: "", address: "priya.media@gmail.com" }],
      links: [{ href: "https://portal-docs.example/signin", from: "html" }],
    });
    const full = history({ ...knownPriya, replyPathsFull: true, linkDomainsFull: true });
    const fired = rulesOf(m, full);
    expect(fired).not.toContain("known-sender-new-reply-path");
    expect(fired).not.toContain("known-sender-new-link-domain");
  });
});

describe("correspondenceFacts", () => {
  it("keeps addresses and registrable domains, never text", () => {
    const facts = correspondenceFacts(
      message({
        from: { name: "Priya", address: "Priya@Castellano.Example" },
        cc: [
          { name: "", address: "miguel@harperforamerica.example" },
          { name: "", address: "" },
        ],
        replyTo: [{ name: "", address: "p@mail.media.co.uk" }],
        returnPath: "bounce@castellano.example",
        links: [
          { href: "https://a.b.portal.example/x", from: "html" },
          { href: "https://192.0.2.1/x", from: "html" },
          { href: "javascript:alert(1)", from: "html" },
        ],
      }),
    );
    expect(facts).toEqual({
      sender: "priya@castellano.example",
      recipients: ["dana@harperforamerica.example", "miguel@harperforamerica.example"],
      replyPathDomains: ["media.co.uk", "castellano.example"],
      linkDomains: ["portal.example"],
    });
    expect(JSON.stringify(facts)).not.toContain("notes");
    expect(correspondenceFacts(message({ from: { name: "No address", address: "" } }))).toBe(
      undefined,
    );
  });
});
