/** One signature line of a signed note: `— <key name> <base64(key ID || signature)>`. */
export interface NoteSignature {
  keyName: string;
  /** The first four bytes, big-endian. */
  keyId: number;
  /** Base64 of the whole line's signature, key ID included, as the log sent it. */
  signature: string;
}

/**
 * A transparency log checkpoint (c2sp.org/tlog-checkpoint): a signed note whose text gives
 * the log's origin, tree size and root hash. The signatures are read, not verified.
 */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  /** Base64 of the 32-byte RFC 6962 Merkle Tree Hash. */
  rootHash: string;
  /** Lines after the third, opaque (Static CT API logs send none). */
  extensions: string[];
  signatures: NoteSignature[];
}

/**
 * Largest checkpoint read. A note must be accepted with at least 16 signatures
 * (c2sp.org/signed-note), and a post-quantum one is ~5 kB; anything much larger is not a
 * checkpoint.
 */
export const MAX_CHECKPOINT_BYTES = 128 * 1024;
/** Lines at most, text and signatures together: 16 signatures with room to spare. */
export const MAX_CHECKPOINT_LINES = 100;
/** SHA-256. */
const ROOT_HASH_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** C0 controls other than newline, and DEL: a note must not contain them (signed-note). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it looks for
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** Why a body is not a checkpoint. */
export class CheckpointError extends Error {}

/**
 * Parses a checkpoint strictly: UTF-8 without control characters, the note text and its
 * signature lines separated by the last empty line, origin non-empty, tree size in
 * decimal without leading zeroes, a 32-byte base64 root hash, at least one well-formed
 * signature line, within `MAX_CHECKPOINT_BYTES` and `MAX_CHECKPOINT_LINES`.
 *
 * Signatures are not verified, as the RFC 6962 client does not verify tree head
 * signatures: Vigil reads logs to find names, not to audit them, and a log that lies
 * about its size can at worst make it read less or fail a request.
 *
 * @throws CheckpointError saying what is wrong.
 * @example
 * parseCheckpoint("example.com/log\n20852163\nCsUY…=\n\n— example.com/log Az3g…=\n").treeSize
 */
export function parseCheckpoint(body: Uint8Array): Checkpoint {
  if (body.length > MAX_CHECKPOINT_BYTES) {
    throw new CheckpointError(`${body.length} bytes is over the limit of ${MAX_CHECKPOINT_BYTES}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new CheckpointError("not UTF-8");
  }
  if (CONTROL.test(text)) throw new CheckpointError("a control character other than newline");
  if (!text.endsWith("\n")) throw new CheckpointError("does not end with a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length > MAX_CHECKPOINT_LINES) {
    throw new CheckpointError(`more than ${MAX_CHECKPOINT_LINES} lines`);
  }
  // signed-note: the text is separated from the signatures by the last empty line.
  const blank = lines.lastIndexOf("");
  if (blank < 0) throw new CheckpointError("no empty line before the signatures");
  const note = lines.slice(0, blank);
  const signatureLines = lines.slice(blank + 1);
  if (note.length < 3) throw new CheckpointError("fewer than three lines of text");
  const [origin, size, root, ...extensions] = note as [string, string, string, ...string[]];
  if (note.some((line) => line === "")) throw new CheckpointError("an empty line in the text");
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new CheckpointError(`tree size ${JSON.stringify(size.slice(0, 40))} is not a number`);
  }
  if (root.length % 4 !== 0 || !BASE64.test(root)) {
    throw new CheckpointError("root hash is not base64");
  }
  if (Buffer.from(root, "base64").length !== ROOT_HASH_BYTES) {
    throw new CheckpointError(`root hash is not ${ROOT_HASH_BYTES} bytes`);
  }
  if (signatureLines.length === 0) throw new CheckpointError("no signature");
  const signatures = signatureLines.map(readSignature);
  return { origin, treeSize: Number(size), rootHash: root, extensions, signatures };
}

function readSignature(line: string, i: number): NoteSignature {
  const match = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
  const signature = match?.[2];
  if (match === null || signature === undefined || signature.length % 4 !== 0) {
    throw new CheckpointError(`signature line ${i + 1} is not "— <name> <base64>"`);
  }
  const bytes = Buffer.from(signature, "base64");
  // signed-note: 4 bytes of key ID, then the signature itself.
  if (bytes.length < 5) throw new CheckpointError(`signature line ${i + 1} is too short`);
  return { keyName: match[1] as string, keyId: bytes.readUInt32BE(0), signature };
}
