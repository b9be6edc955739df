import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ItemProblem } from "../detect/index.js";
import type { Observation } from "../model/index.js";
import { openInputFile, readDomainList, type SourceItem } from "./domain-list-source.js";

const OBSERVED_AT = "2024-05-01T00:00:00.000Z";

async function read(input: string | Uint8Array, name = "list.txt") {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const items: SourceItem[] = [];
  for await (const item of readDomainList(Readable.from([bytes]), {
    name,
    observedAt: OBSERVED_AT,
  })) {
    items.push(item);
  }
  const observations = items.flatMap((i) => ("observation" in i ? [i.observation] : []));
  const problems = items.flatMap((i) => ("problem" in i ? [i.problem] : []));
  return { items, observations, problems, values: observations.map((o) => o.value) };
}

describe("readDomainList", () => {
  it("reads a plain list, skipping comments and blank lines", async () => {
    const { values, problems, observations } = await read(
      "# lookalikes seen this week\n\nwashingtonpost.pm\n   \n  fox-news.in  \n# done\nspiegel.ltd\n",
    );
    expect(problems).toEqual([]);
    expect(values).toEqual(["washingtonpost.pm", "fox-news.in", "spiegel.ltd"]);
    expect(observations[0]).toMatchObject({
      kind: "domain",
      source: "list.txt line 3",
      observedAt: OBSERVED_AT,
    });
    expect(observations[1]?.source).toBe("list.txt line 5");
  });

  it("normalises URLs, case, IDNs and trailing dots to the ASCII name", async () => {
    const { values } = await read(
      "https://WashingtonPost.PM/world/story\nbücher.de.\n*.spiegel.ltd\n",
    );
    expect(values).toEqual(["washingtonpost.pm", "xn--bcher-kva.de", "spiegel.ltd"]);
  });

  it("strips a byte-order mark on the first line", async () => {
    const { values } = await read("\uFEFFwashingtonpost.pm\r\nfox-news.in\r\n");
    expect(values).toEqual(["washingtonpost.pm", "fox-news.in"]);
  });

  it("reads the domain column of a CSV with a lookalike_domain header and quoted commas", async () => {
    const { values, problems, observations } = await read(
      [
        "lookalike_domain,target,source",
        'washingtonpost.pm,"The Washington Post, Inc.","Meta, Q2 2023"',
        '"spiegel.ltd","Spiegel, Der",DIMA',
        'fox-news.in,"Fox News",""',
      ].join("\n"),
      "lookalikes.csv",
    );
    expect(problems).toEqual([]);
    expect(values).toEqual(["washingtonpost.pm", "spiegel.ltd", "fox-news.in"]);
    expect(observations[0]?.source).toBe("lookalikes.csv line 2");
  });

  it("picks the domain column wherever it is", async () => {
    const { values, problems } = await read(
      [
        "source,lookalike_domain,target",
        '"Meta, Q2 2023",washingtonpost.pm,"Washington Post, The"',
        "DIMA,spiegel.ltd,spiegel.de",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(values).toEqual(["washingtonpost.pm", "spiegel.ltd"]);
  });

  it("recognises a plain `domain` header and a header after comments", async () => {
    expect((await read("domain\nwashingtonpost.pm\n")).values).toEqual(["washingtonpost.pm"]);
    expect((await read("# export\nrank,domain\n1,washingtonpost.pm\n")).values).toEqual([
      "washingtonpost.pm",
    ]);
  });

  it("yields each domain once, however it is spelt", async () => {
    const { values, problems } = await read(
      "washingtonpost.pm\nWASHINGTONPOST.PM\nhttp://washingtonpost.pm/x\nwashingtonpost.pm.\nfox-news.in\nwashingtonpost.pm\n",
    );
    expect(problems).toEqual([]);
    expect(values).toEqual(["washingtonpost.pm", "fox-news.in"]);
  });

  it("gives the same observation id for the same domain from different files", async () => {
    const a = await read("washingtonpost.pm\n", "a.txt");
    const b = await read("# b\nWashingtonPost.pm\n", "b.txt");
    expect(a.observations[0]?.id).toBe(b.observations[0]?.id);
    expect(a.observations[0]?.source).not.toBe(b.observations[0]?.source);
  });

  it("reports bad lines as problems naming the line, and reads the rest", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("good.com\nnot a domain\n-bad.com\n8.8.8.8\n"),
      0x62,
      0xff,
      0x2e,
      0x63,
      0x6f,
      0x6d,
      0x0a, // line 5: invalid UTF-8
      0x61,
      0x00,
      0x0a, // line 6: NUL
      ...new TextEncoder().encode(
        `${"x".repeat(70_000)}.com\nalso-good.com\n${"a.".repeat(200)}com\n`,
      ),
    ]);
    const { values, problems } = await read(bytes, "input.txt");
    expect(values).toEqual(["good.com", "also-good.com"]);
    const byItem = (item: string) => problems.find((p) => p.item === item) as ItemProblem;
    expect(problems.map((p) => p.item)).toEqual([
      "input.txt line 2",
      "input.txt line 3",
      "input.txt line 4",
      "input.txt line 5",
      "input.txt line 6",
      "input.txt line 7",
      "input.txt line 9",
    ]);
    expect(byItem("input.txt line 2").code).toBe("VIGIL_ERR_INPUT_DOMAIN");
    expect(byItem("input.txt line 4").code).toBe("VIGIL_ERR_INPUT_DOMAIN");
    expect(byItem("input.txt line 5").code).toBe("VIGIL_ERR_INPUT_ENCODING");
    expect(byItem("input.txt line 6").code).toBe("VIGIL_ERR_INPUT_ENCODING");
    expect(byItem("input.txt line 7").code).toBe("VIGIL_ERR_INPUT_TOO_LONG");
    expect(byItem("input.txt line 9").code).toBe("VIGIL_ERR_INPUT_TOO_LONG");
    for (const p of problems) expect(p.message.length).toBeLessThan(300);
  });

  it("reports an unreadable CSV row as a problem and goes on", async () => {
    const { values, problems } = await read(
      'lookalike_domain,target\n"washingtonpost.pm,Post\nfox-news.in,Fox\n',
      "l.csv",
    );
    expect(values).toEqual(["fox-news.in"]);
    expect(problems).toEqual([
      expect.objectContaining({ item: "l.csv line 2", code: "VIGIL_ERR_INPUT_CSV" }),
    ]);
  });

  it("reports a CSV row without the domain column", async () => {
    const { values, problems } = await read("target,lookalike_domain\nPost\nFox,fox-news.in\n");
    expect(values).toEqual(["fox-news.in"]);
    expect(problems).toEqual([expect.objectContaining({ item: "list.txt line 2" })]);
  });

  it("counts bytes for a progress bar", async () => {
    let total = 0;
    const text = "a.com\nb.com\n";
    for await (const _ of readDomainList(Readable.from([Buffer.from(text)]), {
      name: "x",
      observedAt: OBSERVED_AT,
      onBytes: (n) => (total += n),
    })) {
      // drain
    }
    expect(total).toBe(text.length);
  });

  it("reads a file opened with openInputFile, and refuses a directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vigil-domains-"));
    try {
      const path = join(dir, "domains.txt");
      await writeFile(path, "washingtonpost.pm\nfox-news.in\n");
      const { stream, size } = await openInputFile(path);
      expect(size).toBe(30);
      const observations: Observation[] = [];
      for await (const item of readDomainList(stream, { name: path, observedAt: OBSERVED_AT })) {
        if ("observation" in item) observations.push(item.observation);
      }
      expect(observations.map((o) => o.value)).toEqual(["washingtonpost.pm", "fox-news.in"]);
      await expect(openInputFile(dir)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
