import { createHash } from "node:crypto";

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/**
 * Whether `address` is a Bitcoin address whose checksum holds: legacy P2PKH/P2SH
 * (base58check, version 0x00 or 0x05) or SegWit/Taproot (bech32 / bech32m, `bc1`).
 * The checksum keeps random base58-looking text in scripts from passing for a wallet.
 */
export function isBitcoinAddress(address: string): boolean {
  if (/^bc1/i.test(address)) return isBech32(address.toLowerCase());
  const bytes = base58Decode(address);
  if (bytes === undefined || bytes.length !== 25) return false;
  if (bytes[0] !== 0x00 && bytes[0] !== 0x05) return false;
  const body = bytes.subarray(0, 21);
  const check = createHash("sha256").update(createHash("sha256").update(body).digest()).digest();
  return check.subarray(0, 4).equals(bytes.subarray(21));
}

function base58Decode(text: string): Buffer | undefined {
  let value = 0n;
  for (const ch of text) {
    const digit = BASE58.indexOf(ch);
    if (digit === -1) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const hex = value === 0n ? "" : value.toString(16);
  const bytes = Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex");
  let zeros = 0;
  while (text[zeros] === "1") zeros++;
  return Buffer.concat([Buffer.alloc(zeros), bytes]);
}

/** BIP 173 / BIP 350 checksum of a `bc1` address (either constant). */
function isBech32(address: string): boolean {
  const sep = address.lastIndexOf("1");
  if (sep < 1 || address.length > 90 || address.length - sep < 7) return false;
  const hrp = address.slice(0, sep);
  const data: number[] = [];
  for (const ch of address.slice(sep + 1)) {
    const v = BECH32.indexOf(ch);
    if (v === -1) return false;
    data.push(v);
  }
  const values = [
    ...[...hrp].map((c) => c.charCodeAt(0) >> 5),
    0,
    ...[...hrp].map((c) => c.charCodeAt(0) & 31),
    ...data,
  ];
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i] as number;
  }
  return chk === 1 || chk === 0x2bc830a3;
}
