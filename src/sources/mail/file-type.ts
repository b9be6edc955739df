/**
 * What a file's first bytes say it is, for the types phishing attachments use or
 * disguise: executables, shortcuts, disk images, scripts in HTML, Office containers,
 * archives, documents and pictures. Undefined when the bytes are not recognised.
 */
export function sniffFileType(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46)) return "pdf";
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return "zip";
  if (starts(0x4d, 0x5a)) return "pe-executable";
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return "elf-executable";
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return "ole";
  if (starts(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07)) return "rar";
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return "7z";
  if (starts(0x1f, 0x8b)) return "gzip";
  if (starts(0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00)) return "lnk";
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "gif";
  if (starts(0x7b, 0x5c, 0x72, 0x74, 0x66)) return "rtf";
  if (ascii(bytes, 0, 8) === "conectix" || ascii(bytes, 0, 8) === "vhdxfile") return "disk-image";
  // ISO 9660: the volume descriptor "CD001" at 0x8001.
  if (ascii(bytes, 0x8001, 5) === "CD001") return "disk-image";
  const head = ascii(bytes, 0, 512)
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (/^<!doctype html|^<html|^<head|^<body|^<script|^<meta|^<form|^<iframe/.test(head))
    return "html";
  if (/^<svg|^<\?xml[^>]*>\s*<svg/.test(head)) return "svg";
  return undefined;
}

function ascii(bytes: Uint8Array, from: number, length: number): string {
  if (bytes.length < from + 1) return "";
  let out = "";
  const end = Math.min(bytes.length, from + length);
  for (let i = from; i < end; i++) out += String.fromCharCode(bytes[i] as number);
  return out;
}
