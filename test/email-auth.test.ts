/**
 * Sender authentication on messages the test signs itself (a DKIM key made here), with
 * DNS answered in-process from a table: DKIM and DMARC verified, a forged From failing
 * DMARC, SPF from the Received header of a trusted server, trusted and untrusted
 * Authentication-Results headers, and a DNS that never answers.
 */
import { dkimSign } from "mailauth";
import { describe, expect, it } from "vitest";
import {
  cachedResolver,
  EmailDetector,
  mailLimits,
  parseAuthenticationResults,
  parseEmail,
  WatchlistSchema,
} from "../src/index.js";
import { dkimKey, message, tableResolver } from "./support/mail-fixtures.js";

const key = dkimKey();
const DNS = {
  "TXT sel._domainkey.campaign.example": [["v=DKIM1; k=rsa; p=", key.publicKey]],
  "TXT _dmarc.campaign.example": [["v=DMARC1; p=reject"]],
  "TXT campaign.example": [["v=spf1 ip4:192.0.2.10 -all"]],
};
const watchlist = WatchlistSchema.parse({
  organisations: [{ name: "Harper for America", domains: ["campaign.example"] }],
  people: [{ name: "Dana Whitfield", emails: ["dana@campaign.example"] }],
});

async function signed(text: string): Promise<Buffer> {
  const result = await dkimSign(text, {
    signatureData: [
      { signingDomain: "campaign.example", selector: "sel", privateKey: key.privateKey },
    ],
  } as Parameters<typeof dkimSign>[1]);
  return Buffer.from(result.signatures + text);
}

async function triage(raw: Buffer, auth: Parameters<typeof parseEmail>[2]) {
  const { message: m } = await parseEmail({ bytes: raw, size: raw.length }, mailLimits(), auth);
  return { message: m, assessment: new EmailDetector(watchlist).assess(m) };
}

const genuine = message(
  {
    From: "Dana Whitfield <dana@campaign.example>",
    To: "staff@campaign.example",
    Subject: "Schedule for Thursday",
    "Message-ID": "<1@campaign.example>",
    Date: "Mon, 1 Jul 2024 10:00:00 +0000",
  },
  "The rally moves to 3pm.\n",
);

describe("sender authentication", () => {
  it("verifies a DKIM signature made in the test and passes DMARC through it", async () => {
    const dns = tableResolver(DNS);
    const { message: m, assessment } = await triage(await signed(genuine), {
      resolver: cachedResolver({ lookup: dns.resolve }),
    });
    expect(m.auth.dkim).toMatchObject({
      result: "pass",
      source: "verified",
      domain: "campaign.example",
    });
    expect(m.auth.dmarc).toMatchObject({ result: "pass", source: "verified", policy: "reject" });
    expect(m.auth.spf.source).toBe("not-checked");
    // The genuine person, authenticated: nothing fires but the authenticated-sender credit.
    expect(assessment.verdict).toBe("clean");
    expect(assessment.reasons.map((r) => r.rule)).toContain("authenticated-protected-sender");
  });

  it("fails DKIM and DMARC on a message altered after signing, and calls it spoofing", async () => {
    const raw = await signed(genuine);
    const altered = Buffer.from(
      raw
        .toString()
        .replace("The rally moves to 3pm.", "Log in at https://login.example.net/verify now."),
    );
    const { message: m, assessment } = await triage(altered, {
      resolver: cachedResolver({ lookup: tableResolver(DNS).resolve }),
    });
    // mailauth reports a body that no longer matches its hash as neutral (RFC 6376 §6.3).
    expect(["fail", "neutral"]).toContain(m.auth.dkim.result);
    expect(m.auth.dmarc).toMatchObject({ result: "fail", policy: "reject" });
    const rules = assessment.reasons.map((r) => r.rule);
    expect(rules).toEqual(
      expect.arrayContaining(["dmarc-fail-enforced", "spoofed-protected-domain"]),
    );
    expect(assessment.verdict).toBe("phishing");
    expect(assessment.techniques.map((t) => t.id)).toContain("T1656");
  });

  it("checks SPF against the client address in the Received header of a trusted server only", async () => {
    const headers = (ip: string, by: string) =>
      Buffer.from(
        `Received: from mail.other.example (mail.other.example [${ip}]) by ${by} with ESMTPS id 1; Mon, 1 Jul 2024 10:00:01 +0000\r\nReturn-Path: <bounce@campaign.example>\r\n${genuine}`,
      );
    const resolver = cachedResolver({ lookup: tableResolver(DNS).resolve });
    const auth = { resolver, trustedAuthservIds: ["mx.newsroom.example"] };
    const pass = await triage(headers("192.0.2.10", "mx.newsroom.example"), auth);
    expect(pass.message.auth.spf).toMatchObject({
      result: "pass",
      source: "verified",
      domain: "campaign.example",
    });
    const fail = await triage(headers("198.51.100.7", "mx.newsroom.example"), auth);
    expect(fail.message.auth.spf.result).toBe("fail");
    expect(fail.message.auth.dmarc.result).toBe("fail");
    const untrusted = await triage(headers("192.0.2.10", "mx.attacker.example"), auth);
    expect(untrusted.message.auth.spf.source).toBe("not-checked");
  });

  it("reads Authentication-Results only from the servers named as trusted, and says so", async () => {
    const raw = Buffer.from(
      `Authentication-Results: mx.newsroom.example; spf=fail smtp.mailfrom=campaign.example; dkim=none; dmarc=fail (p=reject) header.from=campaign.example policy.dmarc=reject\r\n` +
        `Authentication-Results: mx.attacker.example; spf=pass; dkim=pass header.d=campaign.example; dmarc=pass\r\n${genuine}`,
    );
    const trusted = await triage(raw, { trustedAuthservIds: ["mx.newsroom.example"] });
    expect(trusted.message.auth.dmarc).toMatchObject({
      result: "fail",
      source: "trusted-header",
      authservId: "mx.newsroom.example",
      policy: "reject",
    });
    expect(trusted.message.auth.spf).toMatchObject({ result: "fail", source: "trusted-header" });
    expect(trusted.assessment.reasons.map((r) => r.rule)).toContain("spoofed-protected-domain");
    const none = await triage(raw, {});
    expect(none.message.auth.dmarc.source).toBe("not-checked");
    expect(none.assessment.reasons.map((r) => r.rule)).not.toContain("spoofed-protected-domain");
  });

  it("turns a DNS that never answers into temperror within the timeout", async () => {
    const silent = cachedResolver({ lookup: () => new Promise(() => {}), timeoutMs: 200 });
    const started = Date.now();
    const { message: m } = await triage(await signed(genuine), { resolver: silent });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(m.auth.dkim.result).toBe("temperror");
  });

  it("caches answers so one domain is asked once per run", async () => {
    const dns = tableResolver(DNS);
    const resolver = cachedResolver({ lookup: dns.resolve });
    const raw = await signed(genuine);
    await triage(raw, { resolver });
    const first = dns.calls.length;
    await triage(raw, { resolver });
    expect(dns.calls.length).toBe(first);
  });
});

describe("parseAuthenticationResults", () => {
  it("reads methods, results and properties, skipping comments and quoted semicolons", () => {
    const parsed = parseAuthenticationResults(
      'mx.example.org (comment; with semicolon); dkim=pass (good "sig") header.d=a.example header.s="x;y"; spf=softfail reason="not listed" smtp.mailfrom=b@a.example',
    );
    expect(parsed?.authservId).toBe("mx.example.org");
    expect(parsed?.results).toEqual([
      { method: "dkim", result: "pass", props: { "header.d": "a.example", "header.s": "x;y" } },
      {
        method: "spf",
        result: "softfail",
        reason: "not listed",
        props: { "smtp.mailfrom": "b@a.example" },
      },
    ]);
    expect(parseAuthenticationResults("")).toBeUndefined();
  });
});
