import type { EmailAttachment, EmailMessage } from "../../model/index.js";
import { type EmailRule, type EmailSignal, EMAIL_RULE_WEIGHTS as W } from "./email-features.js";
import { extensionMismatch } from "./extension-mismatch.js";

/**
 * Extensions that run code or open a page when double-clicked, the delivery types of
 * current phishing: shortcuts, disk images, HTML smuggling, scripts, installers,
 * OneNote, help files.
 */
export const RISKY_EXTENSIONS: ReadonlySet<string> = new Set([
  "lnk",
  "iso",
  "img",
  "vhd",
  "vhdx",
  "html",
  "htm",
  "shtml",
  "xhtml",
  "svg",
  "js",
  "jse",
  "vbs",
  "vbe",
  "wsf",
  "wsh",
  "hta",
  "ps1",
  "bat",
  "cmd",
  "scr",
  "exe",
  "dll",
  "msi",
  "jar",
  "one",
  "chm",
  "reg",
  "cpl",
  "pif",
  "com",
  "url",
  "library-ms",
  "appref-ms",
  "msc",
  "xll",
]);
/** Office formats that carry macros. */
export const MACRO_EXTENSIONS: ReadonlySet<string> = new Set([
  "docm",
  "dotm",
  "xlsm",
  "xltm",
  "xlam",
  "pptm",
  "potm",
  "ppam",
  "sldm",
]);
/** Sniffed contents that are risky whatever the file is called. */
const RISKY_CONTENT = new Set(["pe-executable", "elf-executable", "lnk", "disk-image"]);
/** Office Open XML extensions: zips, whose macros live in a `vbaProject.bin` entry. */
const OOXML = new Set(["docx", "xlsx", "pptx", "docm", "xlsm", "pptm", "dotm", "xltm"]);

/** The lower-case extension of a file name, or "". */
export function extensionOf(name: string | undefined): string {
  if (name === undefined) return "";
  const base = name.trim().replace(/[\s.]+$/, "");
  const dot = base.lastIndexOf(".");
  return dot < 0 ? "" : base.slice(dot + 1).toLowerCase();
}

/** Signals from attachments: risky types, macros, archives holding them, and disguises. */
export function attachmentSignals(message: EmailMessage): EmailSignal[] {
  const fired = new Map<EmailRule, EmailSignal>();
  const fire = (signal: EmailSignal) => {
    if (!fired.has(signal.rule)) fired.set(signal.rule, signal);
  };
  for (const a of message.attachments) {
    const name = a.filename ?? "";
    const ext = extensionOf(a.filename);
    const label = name === "" ? `a ${a.mimeType} part` : `"${name.slice(0, 200)}"`;
    const evidence = [
      {
        type: "attachment",
        value: name.slice(0, 1000) || a.mimeType,
        note: `${a.mimeType}, ${a.size} bytes${a.sniffed ? `, content ${a.sniffed}` : ""}`,
      },
    ];
    // Unnamed inline parts (pictures of a newsletter) are judged by content only.
    if (
      (name !== "" && RISKY_EXTENSIONS.has(ext)) ||
      (a.sniffed !== undefined && RISKY_CONTENT.has(a.sniffed))
    ) {
      fire({
        rule: "risky-attachment",
        feature: `${label}${a.sniffed && RISKY_CONTENT.has(a.sniffed) ? ` (content: ${a.sniffed})` : ""}`,
        weight: W["risky-attachment"],
        explanation:
          "The attachment is a type that runs code or opens a web page when opened, as phishing payloads do.",
        techniques: ["attachment"],
        evidence,
      });
    }
    if (MACRO_EXTENSIONS.has(ext) || (OOXML.has(ext) && hasEntry(a, /(^|\/)vbaproject\.bin$/i))) {
      fire({
        rule: "macro-document",
        feature: `${label} carries macros`,
        weight: W["macro-document"],
        explanation:
          "The attachment is an Office document with macros, code that runs when it is opened.",
        techniques: ["attachment"],
        evidence,
      });
    }
    if (name !== "" && extensionMismatch(ext, a.sniffed)) {
      fire({
        rule: "extension-mismatch",
        feature: `${label} is ${a.sniffed}, not .${ext}`,
        weight: W["extension-mismatch"],
        explanation: "The attachment's content is not what its name says, a disguise.",
        techniques: ["attachment"],
        evidence,
      });
    }
    const parts = name.toLowerCase().split(".");
    if (
      parts.length >= 3 &&
      RISKY_EXTENSIONS.has(ext) &&
      /^(pdf|docx?|xlsx?|pptx?|jpe?g|png|txt|csv|rtf)\s*$/.test(parts[parts.length - 2] ?? "")
    ) {
      fire({
        rule: "double-extension",
        feature: `${label} ends in .${parts[parts.length - 2]?.trim()}.${ext}`,
        weight: W["double-extension"],
        explanation: "The attachment's name shows a harmless type before its real one.",
        techniques: ["attachment"],
        evidence,
      });
    }
    const archive = a.archive;
    const isArchive = archive !== undefined && !OOXML.has(ext);
    if (isArchive) {
      const risky = archive.entries.find(
        (e) =>
          RISKY_EXTENSIONS.has(extensionOf(e.name)) || MACRO_EXTENSIONS.has(extensionOf(e.name)),
      );
      if (risky !== undefined) {
        fire({
          rule: "archive-risky-content",
          feature: `${label} holds "${risky.name.slice(0, 200)}"${risky.depth > 1 ? ` (${risky.depth} archives deep)` : ""}`,
          weight: W["archive-risky-content"],
          explanation:
            "An archive attached to the message holds a file that runs code when opened.",
          techniques: ["attachment"],
          evidence,
        });
      }
      if (archive.encrypted) {
        fire({
          rule: "encrypted-archive",
          feature: `${label} is password-protected`,
          weight: W["encrypted-archive"],
          explanation:
            "A password-protected archive keeps its content from mail filters; the password is usually in the message.",
          techniques: ["attachment"],
          evidence,
        });
      }
      if (archive.bomb.length > 0) {
        fire({
          rule: "archive-bomb",
          feature: `${label}: ${archive.bomb.join(", ")} (declares ${archive.declaredSize} bytes, ratio ${archive.ratio})`,
          weight: W["archive-bomb"],
          explanation:
            "The archive is built to expand far beyond its size (a zip bomb); it was not expanded.",
          techniques: ["attachment"],
          evidence,
        });
      }
    }
  }
  return [...fired.values()];
}

function hasEntry(a: EmailAttachment, pattern: RegExp): boolean {
  return a.archive?.entries.some((e) => pattern.test(e.name)) ?? false;
}
