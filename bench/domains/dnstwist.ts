/**
 * dnstwist, the peer: found on PATH, run offline. Only permutation generation is used
 * (`--format list`, or the Python API with format='list' for the fuzzer of each name);
 * no option that resolves, queries WHOIS or fetches is ever passed.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Shipped with the Debian package (and the upstream repository's dictionaries/). */
const TLD_DICTIONARY_DIRS = [
  "/usr/share/dnstwist/dictionaries",
  "/usr/local/share/dnstwist/dictionaries",
];
const TLD_DICTIONARIES = ["common_tlds.dict", "abused_tlds.dict"];
/** A permutation list of one domain is a few MB at most; more means something is wrong. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export interface Dnstwist {
  path: string;
  /** The interpreter on the script's #! line, which can import the dnstwist module. */
  python: string;
  version: string;
}

/** One permutation as dnstwist labels it (`*original` is the input itself). */
export interface Permutation {
  fuzzer: string;
  name: string;
}

/** dnstwist on PATH, or a message saying how to install it. */
export function findDnstwist(): Dnstwist | { missing: string } {
  const path = (process.env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, "dnstwist"))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!path) {
    return {
      missing:
        "dnstwist is not on PATH; the benchmark compares vigil with it. Install it with " +
        "`apt-get install -y dnstwist` (Debian/Ubuntu package dnstwist) and run again.",
    };
  }
  const shebang = readFileSync(path, "utf8").split("\n", 1)[0] ?? "";
  const words = shebang
    .replace(/^#!\s*/, "")
    .split(/\s+/)
    .filter(Boolean);
  // `#!/usr/bin/env python3` names the interpreter in its second word.
  const python = (words[0]?.endsWith("/env") ? words[1] : words[0]) ?? "python3";
  const probe = spawnSync(python, ["-c", "import dnstwist; print(dnstwist.__version__)"], {
    encoding: "utf8",
  });
  if (probe.status !== 0) {
    return {
      missing: `dnstwist at ${path} cannot be imported by ${python} (${probe.stderr.trim()}); reinstall it with \`apt-get install -y dnstwist\`.`,
    };
  }
  return { path, python, version: probe.stdout.trim() };
}

/** A TLD dictionary file joining the ones dnstwist ships, or undefined when none is found. */
export function shippedTldDictionaries(): { files: string[]; tlds: string[] } | undefined {
  for (const dir of TLD_DICTIONARY_DIRS) {
    const files = TLD_DICTIONARIES.map((f) => join(dir, f)).filter((f) => existsSync(f));
    if (files.length === 0) continue;
    const tlds = new Set<string>();
    for (const file of files) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        const tld = line.trim();
        if (tld !== "" && !tld.startsWith("//")) tlds.add(tld);
      }
    }
    return { files, tlds: [...tlds] };
  }
  return undefined;
}

/**
 * Runs `dnstwist --format list <domain>` once per domain, one after another, as a user
 * would; returns each list and the wall time of each process (start to exit).
 */
export async function enumerateWithCli(
  dnstwist: Dnstwist,
  domains: readonly string[],
): Promise<Array<{ domain: string; ms: number; names: string[] }>> {
  const out: Array<{ domain: string; ms: number; names: string[] }> = [];
  for (const domain of domains) {
    const started = process.hrtime.bigint();
    const stdout = await run(dnstwist.path, ["--format", "list", domain]);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    out.push({ domain, ms, names: stdout.split("\n").filter((l) => l.trim() !== "") });
  }
  return out;
}

/**
 * Each domain's permutations with their fuzzer, from one Python process (see
 * dnstwist-permutations.py). `tldFile` adds dnstwist's tld-swap fuzzer.
 */
export async function permutationsWithFuzzers(
  dnstwist: Dnstwist,
  domains: readonly string[],
  tldFile?: string,
): Promise<
  Map<string, { ms: number; cpuMs: number; permutations: Permutation[] } | { error: string }>
> {
  const script = fileURLToPath(
    new URL("../../../domains/dnstwist-permutations.py", import.meta.url),
  );
  const stdout = await run(
    dnstwist.python,
    [script],
    JSON.stringify({ domains, tld: tldFile ?? null }),
  );
  const out = new Map<
    string,
    { ms: number; cpuMs: number; permutations: Permutation[] } | { error: string }
  >();
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as {
      domain?: string;
      ms?: number;
      cpu_ms?: number;
      error?: string;
      permutations?: Array<[string, string]>;
    };
    if (row.domain === undefined) continue; // the version line
    out.set(
      row.domain,
      row.error !== undefined
        ? { error: row.error }
        : {
            ms: row.ms ?? 0,
            cpuMs: row.cpu_ms ?? 0,
            permutations: (row.permutations ?? []).map(([fuzzer, name]) => ({ fuzzer, name })),
          },
    );
  }
  return out;
}

function run(command: string, args: readonly string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) child.kill();
      else chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString("utf8"));
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.trim()}`));
    });
    child.stdin.end(stdin ?? "");
  });
}
