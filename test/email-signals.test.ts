/**
 * The generic phishing rules of the email detector (brands, obfuscation, money and
 * pressure lures, malformed senders) on hand-written messages: each fires on the trick
 * it names and stays silent on the ordinary mail next to it.
 */
import { describe, expect, it } from "vitest";
import {
  brandsNamed,
  brandWords,
  disguisedWord,
  EmailDetector,
  type EmailMessage,
  findLures,
  isBrandDomain,
  mailLimits,
  PHISHED_BRANDS,
  parseEmail,
  WatchlistSchema,
} from "../src/index.js";
import { parsedMessage } from "./support/mail-fixtures.js";

const detector = new EmailDetector(WatchlistSchema.parse({}));

function message(fields: Partial<EmailMessage>): EmailMessage {
  return parsedMessage({
    from: { name: "", address: "someone@example.net" },
    to: [{ name: "", address: "reader@example.org" }],
    ...fields,
  });
}

const rules = (m: EmailMessage) => detector.assess(m).reasons.map((r) => r.rule);

describe("brand impersonation", () => {
  it("reads brand names through look-alike letters, symbol letters and stray marks", () => {
    expect(brandsNamed(brandWords("Microsoft account team")).map((b) => b.name)).toEqual([
      "Microsoft",
    ]);
    expect(brandsNamed(brandWords("Aܿmܿaܿzܿon Service")).map((b) => b.name)).toEqual(["Amazon"]);
    expect(brandsNamed(brandWords("Ihr 𝕚ℂ𝕝𝕠𝕦𝕕-Speicher")).map((b) => b.name)).toEqual(["Apple"]);
    expect(brandsNamed(brandWords("Dana Whitfield"))).toEqual([]);
    // "Chase" alone is a first name, not the bank.
    expect(brandsNamed(brandWords("Chase Miller"))).toEqual([]);
  });

  it("knows a brand's own domains under any suffix it lists, and not lookalikes", () => {
    const amazon = PHISHED_BRANDS.find((b) => b.name === "Amazon");
    expect(amazon).toBeDefined();
    if (amazon === undefined) return;
    expect(isBrandDomain(amazon, "amazon.co.uk")).toBe(true);
    expect(isBrandDomain(amazon, "amazon-security.com")).toBe(false);
  });

  it("flags a brand in the display name on another domain, with links elsewhere", () => {
    const m = message({
      from: { name: "Microsoft account team", address: "no-reply@access-accsecurity.example" },
      subject: "Unusual sign-in activity",
      links: [{ href: "https://login.unrelated-host.example/verify", from: "html" }],
    });
    const fired = rules(m);
    expect(fired).toContain("brand-display-name");
    expect(fired).toContain("brand-link-elsewhere");
    expect(detector.assess(m).verdict).not.toBe("clean");
  });

  it("leaves the brand's own mail alone", () => {
    const m = message({
      from: { name: "Microsoft account team", address: "account-security-noreply@microsoft.com" },
      subject: "Your monthly summary",
      links: [{ href: "https://account.microsoft.com/summary", from: "html" }],
    });
    expect(rules(m)).not.toContain("brand-display-name");
    expect(rules(m)).not.toContain("brand-link-elsewhere");
  });

  it("flags a brand run into the address, and a brand named in an account pretext", () => {
    expect(
      rules(message({ from: { name: "Support", address: "noreply-binancewallet@mail.example" } })),
    ).toContain("brand-in-address");
    const pretext = message({
      from: { name: "Help", address: "help@desk.example" },
      subject: "Your PayPal account has been suspended",
    });
    expect(rules(pretext)).toContain("brand-lure");
    // The same brand in an ordinary subject says nothing.
    expect(
      rules(message({ subject: "Thoughts on PayPal's new API", text: "Has anyone tried it?" })),
    ).not.toContain("brand-lure");
  });
});

describe("obfuscation", () => {
  it("counts invisible characters between Latin letters, not emoji sequences or Persian", () => {
    const hidden = "H\u200cel\u200cl\u200co t\u200chere";
    expect(rules(message({ text: hidden }))).toContain("invisible-characters");
    expect(rules(message({ text: "Well done 👩\u200d💻 team 🤸\u200d♀️ go" }))).not.toContain(
      "invisible-characters",
    );
    expect(rules(message({ text: "می\u200cخواهم و می\u200cروم و می\u200cگویم" }))).not.toContain(
      "invisible-characters",
    );
  });

  it("finds words disguised with other scripts, symbol letters or foreign marks", () => {
    expect(disguisedWord("Lоwеs order")).toBe("Lоwеs"); // Cyrillic о and е
    expect(disguisedWord("𝕚ℂ𝕝𝕠𝕦𝕕 full")).toBe("𝕚ℂ𝕝𝕠𝕦𝕕");
    expect(disguisedWord("Aܿmܿaܿzܿon")).toBe("Aܿmܿaܿzܿon");
    // Accents, and whole words in another script, are ordinary writing.
    expect(disguisedWord("Café Müller façade")).toBeUndefined();
    expect(disguisedWord("Привет мир Γειά σου")).toBeUndefined();
    expect(rules(message({ subject: "Pеnding Ordеr" }))).toContain("disguised-letters");
  });

  it("flags data: and javascript: links, user-name tricks and needless encoding", () => {
    const fired = rules(
      message({
        links: [
          { href: "data:text/html;base64,PGh0bWw+", from: "html" },
          { href: "https://www.paypal.com@login.evil.example/", from: "html" },
          { href: "https://x.example/%6c%6f%67%69%6e", from: "html" },
        ],
      }),
    );
    expect(fired).toEqual(
      expect.arrayContaining(["script-link", "userinfo-link", "obfuscated-link"]),
    );
    const encoded = Buffer.from("reader@example.org").toString("base64");
    expect(
      rules(message({ links: [{ href: `https://x.example/p/${encoded}/next`, from: "html" }] })),
    ).toContain("obfuscated-link");
    expect(
      rules(
        message({ links: [{ href: "https://news.example/2024/06/article?id=42", from: "html" }] }),
      ),
    ).not.toContain("obfuscated-link");
  });
});

describe("senders", () => {
  it("flags a From with a name and no address, and senders on free hosting", () => {
    expect(rules(message({ from: { name: "Microsoft account team", address: "" } }))).toContain(
      "from-without-address",
    );
    expect(
      rules(message({ from: { name: "", address: "noreply@project-x1.firebaseapp.com" } })),
    ).toContain("free-hosting-sender");
    expect(
      rules(message({ from: { name: "Ann", address: "ann@firebase.google.com" } })),
    ).not.toContain("free-hosting-sender");
  });
});

describe("money and pressure lures", () => {
  it("finds payment, gift-card, wallet and prize language", () => {
    const cats = (t: string) => findLures("", t).map((l) => l.category);
    expect(cats("Please buy two Google Play cards and send me the codes")).toContain("money");
    expect(cats("Enter your seed phrase to restore the wallet")).toContain("money");
    expect(cats("You have won US$12,000,000.00 in our lottery")).toContain("money");
    expect(cats("You won't believe the build times")).not.toContain("money");
  });

  it("adds lure-pressure only for urgency with a pretext and something to act on", () => {
    const text = "Your account will be suspended. Verify your account within 24 hours.";
    const withLink = message({ text, links: [{ href: "https://a.example/x", from: "text" }] });
    expect(rules(withLink)).toContain("lure-pressure");
    expect(rules(message({ text }))).not.toContain("lure-pressure");
  });

  it("keeps the reasons' weights adding up to the score", () => {
    const m = message({
      from: { name: "PayPal Security", address: "" },
      subject: "Urgent: verify your account",
      text: "Your account has been suspended. Verify your account immediately.",
      links: [{ href: "https://www.paypal.com@evil.example/", from: "html" }],
    });
    const a = detector.assess(m);
    const sum = a.reasons.reduce((s, r) => s + r.weight, 0);
    expect(sum).toBeCloseTo(a.score, 2);
    expect(a.verdict).toBe("phishing");
  });
});

describe("a From split by an unquoted comma", () => {
  it("joins the shown name to the address after it, notes the split, and lets the brand rules judge the pair", async () => {
    const raw = Buffer.from(
      [
        "From: Microsoft account team ,_<no-reply@access-accsecurity.example>",
        "To: staff@campaign.example",
        "Subject: Unusual sign-in activity",
        "Message-ID: <split-from@access-accsecurity.example>",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "We detected something unusual about a recent sign-in to your account.",
        "",
      ].join("\r\n"),
    );
    const { message: parsed } = await parseEmail(
      { bytes: raw, size: raw.length },
      mailLimits(),
      {},
    );
    expect(parsed.from).toEqual({
      name: "Microsoft account team",
      address: "no-reply@access-accsecurity.example",
    });
    expect(parsed.fromSplit).toBe(true);
    const found = rules(parsed);
    expect(found).toContain("from-without-address");
    expect(found).toContain("brand-display-name");
    // A well-formed From is not split.
    const plain = Buffer.from(raw.toString("utf8").replace(" ,_<", " <"));
    const { message: ok } = await parseEmail(
      { bytes: plain, size: plain.length },
      mailLimits(),
      {},
    );
    expect(ok.fromSplit).toBeUndefined();
    expect(rules(ok)).not.toContain("from-without-address");
  });
});

describe("a listed person's name in the signature", () => {
  const listed = new EmailDetector(
    WatchlistSchema.parse({
      people: [{ name: "Dana Whitfield", emails: ["dana@harperforamerica.example"] }],
      organisations: [{ name: "Harper for America", domains: ["harperforamerica.example"] }],
    }),
  );
  const signed = (from: { name: string; address: string }, text: string) =>
    listed
      .assess(message({ from, text, to: [{ name: "", address: "m@harperforamerica.example" }] }))
      .reasons.map((r) => r.rule);

  it("flags a message signed with the name from an address that is not theirs", () => {
    const text =
      "Can you look at the draft before noon?\n\nThanks,\nDana Whitfield | Senior Adviser";
    expect(signed({ name: "", address: "dana.w.office@gmail.com" }, text)).toContain(
      "watchlist-signature-other-address",
    );
    expect(
      signed(
        { name: "Office", address: "d.whitfield@consult.example" },
        "Notes below.\n-- \nWhitfield, Dana\n",
      ),
    ).toContain("watchlist-signature-other-address");
  });

  it("leaves the person's own mail, and a name only in the body, alone", () => {
    const text = "Can you look at the draft?\n\nDana Whitfield";
    expect(signed({ name: "", address: "dana@harperforamerica.example" }, text)).not.toContain(
      "watchlist-signature-other-address",
    );
    const body =
      "I met Dana Whitfield at the rally and she asked me to send these photos.\n\nBest,\nSam";
    expect(signed({ name: "Sam", address: "sam@example.net" }, body)).not.toContain(
      "watchlist-signature-other-address",
    );
  });

  it("is not added when the display name already names the person", () => {
    const rules = signed(
      { name: "Dana Whitfield", address: "dana.w.office@gmail.com" },
      "Quick favour?\n\nDana Whitfield",
    );
    expect(rules).toContain("watchlist-name-other-address");
    expect(rules).not.toContain("watchlist-signature-other-address");
  });
});
