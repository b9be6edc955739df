import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VigilError } from "../errors.js";
import type { NoticeKind } from "../store/index.js";

/** The shipped templates: `data/templates/` of the package (the same depth from src/ and dist/). */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(
  new URL("../../data/templates/", import.meta.url),
);
/** Largest template file read: a notice is a page of text; this bounds a wrong file. */
export const MAX_TEMPLATE_BYTES = 64 * 1024;

/** The file of each kind of notice, in the templates folder. */
export const TEMPLATE_FILES: Readonly<Record<NoticeKind, string>> = {
  target: "notice-target.txt",
  "security-contact": "notice-security-contact.txt",
  escalation: "notice-escalation.txt",
};

/** The placeholders a template may use, `{{name}}`; anything else is an error at load. */
export const TEMPLATE_FIELDS = [
  "recipientName",
  "personName",
  "personEmail",
  "organisationName",
  "verdict",
  "score",
  "messageFrom",
  "messageSubject",
  "receivedAt",
  "reasons",
  "links",
  "attachments",
  "ackInstructions",
  "escalationDelay",
  "noticeId",
  "originalNoticeId",
  "caseTitle",
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** A loaded template: the subject line and the body, both with placeholders. */
interface Template {
  file: string;
  subject: string;
  body: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const KNOWN: ReadonlySet<string> = new Set(TEMPLATE_FIELDS);

/**
 * The notice templates: plain-text files whose first line is `Subject: …`, then a blank
 * line and the body, with `{{field}}` placeholders (`TEMPLATE_FIELDS`). A file in the
 * override folder (`settings.notify.templates`) replaces the shipped one of the same
 * name; the others stay. Text only, so nothing in a notice can run or load anything.
 */
export class NoticeTemplates {
  readonly #templates: ReadonlyMap<NoticeKind, Template>;

  private constructor(templates: Map<NoticeKind, Template>) {
    this.#templates = templates;
  }

  /**
   * Reads and checks the templates.
   * @throws VigilError `VIGIL_ERR_NOTIFY_CONFIG` naming the file and what is wrong.
   */
  static async load(overrideDir?: string): Promise<NoticeTemplates> {
    const templates = new Map<NoticeKind, Template>();
    for (const [kind, name] of Object.entries(TEMPLATE_FILES) as Array<[NoticeKind, string]>) {
      let text: string | undefined;
      let file = join(DEFAULT_TEMPLATES_DIR, name);
      if (overrideDir !== undefined) {
        const own = join(overrideDir, name);
        text = await readTemplate(own, true);
        if (text !== undefined) file = own;
      }
      text ??= await readTemplate(file, false);
      templates.set(kind, parseTemplate(text ?? "", file));
    }
    return new NoticeTemplates(templates);
  }

  /** The subject and body of a notice of `kind` with `fields` filled in. */
  render(
    kind: NoticeKind,
    fields: Readonly<Record<TemplateField, string>>,
  ): { subject: string; body: string } {
    const template = this.#templates.get(kind);
    if (template === undefined) {
      throw new VigilError("VIGIL_ERR_INTERNAL", `no template for ${kind} notices`);
    }
    const fill = (text: string, oneLine: boolean) =>
      text.replace(PLACEHOLDER, (_m, name: string) => {
        const value = fields[name as TemplateField] ?? "";
        // A subject is one header line: a value must not break it.
        return oneLine ? value.replace(/[\r\n]+/g, " ") : value;
      });
    return {
      subject: fill(template.subject, true).slice(0, 900),
      body: fill(template.body, false),
    };
  }
}

async function readTemplate(file: string, optional: boolean): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new VigilError(
      "VIGIL_ERR_NOTIFY_CONFIG",
      `cannot read the notice template ${file}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (bytes.length > MAX_TEMPLATE_BYTES) {
    throw new VigilError(
      "VIGIL_ERR_NOTIFY_CONFIG",
      `the notice template ${file} is over ${MAX_TEMPLATE_BYTES / 1024} KiB`,
    );
  }
  return bytes.toString("utf8").replace(/\r\n/g, "\n");
}

function parseTemplate(text: string, file: string): Template {
  const match = /^Subject:[ \t]*(.+)\n\n/.exec(text);
  if (match === null || match[1] === undefined) {
    throw new VigilError(
      "VIGIL_ERR_NOTIFY_CONFIG",
      `the notice template ${file} must start with a "Subject: …" line and a blank line`,
    );
  }
  const body = text.slice(match[0].length);
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (name !== undefined && !KNOWN.has(name)) {
      throw new VigilError(
        "VIGIL_ERR_NOTIFY_CONFIG",
        `the notice template ${file} uses {{${name}}}, which is not one of: ${TEMPLATE_FIELDS.join(", ")}`,
      );
    }
  }
  return { file, subject: match[1].trim(), body };
}
