/**
 * The triage over the real corpus in ../shared/data/email (600 phishing, 600 legitimate
 * messages; see its README): every message read without a crash, and precision and
 * recall of the phishing + suspicious verdicts printed. The bounds are loose sanity
 * checks, not fitted figures: the rules were tuned on the first half of each folder only
 * (bench/email reports the two halves apart), and part of the data is kept back to judge
 * them. Messages are treated as bytes: no link is opened.
 */
import { createReadStream, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EmailDetector, type EmailMessage, readEmail, WatchlistSchema } from "../src/index.js";

const DATA = fileURLToPath(new URL("../../shared/data/email/", import.meta.url));

async function triage(folder: string, detector: EmailDetector) {
  const files = readdirSync(join(DATA, folder))
    .filter((f) => f.endsWith(".eml"))
    .sort();
  let flagged = 0;
  let messages = 0;
  let problems = 0;
  for (const file of files) {
    for await (const item of readEmail(createReadStream(join(DATA, folder, file)), {
      name: file,
      observedAt: "2024-01-01T00:00:00.000Z",
    })) {
      if ("problem" in item) problems++;
      if (!("observation" in item)) continue;
      messages++;
      if (detector.assess(item.observation.data as EmailMessage).verdict !== "clean") flagged++;
    }
  }
  return { files: files.length, messages, flagged, problems };
}

describe.runIf(existsSync(DATA))("email triage on the real corpus", () => {
  it("reads every message and separates phishing from legitimate mail better than chance", async () => {
    // No watchlist: the corpus is generic phishing, not aimed at anyone listed.
    const detector = new EmailDetector(WatchlistSchema.parse({}));
    const started = performance.now();
    const phish = await triage("phish", detector);
    const ham = await triage("ham", detector);
    const seconds = (performance.now() - started) / 1000;
    expect(phish.messages).toBe(phish.files);
    expect(ham.messages).toBe(ham.files);
    const precision = phish.flagged / Math.max(1, phish.flagged + ham.flagged);
    const recall = phish.flagged / phish.messages;
    const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
    const rate = (phish.messages + ham.messages) / seconds;
    console.log(
      `email corpus: ${phish.flagged}/${phish.messages} phishing flagged, ${ham.flagged}/${ham.messages} legitimate flagged; ` +
        `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, F1 ${f1.toFixed(3)}; ` +
        `${rate.toFixed(0)} messages/s (parse + triage, no DNS); problems ${phish.problems + ham.problems}`,
    );
    expect(precision).toBeGreaterThan(0.5);
    expect(recall).toBeGreaterThan(0.05);
    expect(ham.flagged / ham.messages).toBeLessThan(0.2);
  }, 300_000);
});
