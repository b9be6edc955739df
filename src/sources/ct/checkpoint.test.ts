import { describe, expect, it } from "vitest";
import {
  CheckpointError,
  MAX_CHECKPOINT_BYTES,
  MAX_CHECKPOINT_LINES,
  parseCheckpoint,
} from "./checkpoint.js";

const ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
const SIG =
  "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=";
/** The example of c2sp.org/tlog-checkpoint. */
const EXAMPLE = `example.com/behind-the-sofa\n20852163\n${ROOT}\n\n— example.com/behind-the-sofa ${SIG}\n`;

const parse = (text: string) => parseCheckpoint(Buffer.from(text, "utf8"));
function why(text: string | Uint8Array): string {
  try {
    parseCheckpoint(typeof text === "string" ? Buffer.from(text, "utf8") : text);
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    return (err as Error).message;
  }
  throw new Error("expected a CheckpointError");
}

describe("parseCheckpoint", () => {
  it("reads the origin, size, root hash and signatures of the spec's example", () => {
    expect(parse(EXAMPLE)).toEqual({
      origin: "example.com/behind-the-sofa",
      treeSize: 20852163,
      rootHash: ROOT,
      extensions: [],
      signatures: [
        {
          keyName: "example.com/behind-the-sofa",
          keyId: Buffer.from(SIG, "base64").readUInt32BE(0),
          signature: SIG,
        },
      ],
    });
  });

  it("keeps extension lines and every signature (witnesses too)", () => {
    const text = `log.example/a\n0\n${ROOT}\nextra line\n\n— log.example/a ${SIG}\n— witness.example/w ${SIG}\n`;
    const checkpoint = parse(text);
    expect(checkpoint.treeSize).toBe(0);
    expect(checkpoint.extensions).toEqual(["extra line"]);
    expect(checkpoint.signatures.map((s) => s.keyName)).toEqual([
      "log.example/a",
      "witness.example/w",
    ]);
  });

  it.each([
    ["no signature block", `o\n1\n${ROOT}\n`, "no empty line"],
    ["no signature line", `o\n1\n${ROOT}\n\n`, "no signature"],
    ["two lines of text", `o\n1\n\n— o ${SIG}\n`, "fewer than three lines"],
    ["an empty origin", `\n1\n${ROOT}\nx\n\n— o ${SIG}\n`, "an empty line in the text"],
    ["a size with a leading zero", `o\n01\n${ROOT}\n\n— o ${SIG}\n`, "is not a number"],
    ["a negative size", `o\n-1\n${ROOT}\n\n— o ${SIG}\n`, "is not a number"],
    ["a size past 2^53", `o\n9007199254740993\n${ROOT}\n\n— o ${SIG}\n`, "is not a number"],
    ["a short root hash", `o\n1\nAAAA\n\n— o ${SIG}\n`, "not 32 bytes"],
    ["a root hash not base64", `o\n1\n${ROOT.replace("C", "*")}\n\n— o ${SIG}\n`, "not base64"],
    ["a hyphen for the dash", `o\n1\n${ROOT}\n\n- o ${SIG}\n`, "signature line 1"],
    ["a key name with a plus", `o\n1\n${ROOT}\n\n— o+x ${SIG}\n`, "signature line 1"],
    ["a signature under 5 bytes", `o\n1\n${ROOT}\n\n— o AAAA\n`, "too short"],
    ["no final newline", `o\n1\n${ROOT}\n\n— o ${SIG}`, "does not end with a newline"],
    ["a carriage return", `o\r\n1\n${ROOT}\n\n— o ${SIG}\n`, "control character"],
  ])("refuses %s", (_, text, message) => {
    expect(why(text)).toContain(message);
  });

  it("refuses invalid UTF-8, and notes over the size or line limits", () => {
    expect(why(Buffer.from([0x6f, 0xff, 0x0a]))).toBe("not UTF-8");
    expect(why(Buffer.alloc(MAX_CHECKPOINT_BYTES + 1, 0x61))).toMatch(/over the limit/);
    const many = Array.from({ length: MAX_CHECKPOINT_LINES }, () => `— w.example ${SIG}`);
    expect(why(`o\n1\n${ROOT}\n\n${many.join("\n")}\n`)).toMatch(/more than 100 lines/);
  });
});
