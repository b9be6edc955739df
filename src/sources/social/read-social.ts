import type { Readable } from "node:stream";
import type { SourceItem } from "../source-item.js";
import type { CsvColumnMap } from "./csv-column-map.js";
import { peekInput } from "./peek-input.js";
import { readSocialCsv } from "./social-csv-reader.js";
import {
  detectSocialFormat,
  SOCIAL_FORMAT_SNIFF_BYTES,
  type SocialFormat,
} from "./social-format.js";
import type { SocialReaderOptions } from "./social-item.js";
import { readSocialJsonl } from "./social-jsonl-reader.js";
import { socialProblem } from "./social-problem.js";
import { readTelegramExport } from "./telegram-reader.js";
import { readXV2 } from "./x-v2-reader.js";

export interface ReadSocialOptions extends SocialReaderOptions {
  /** The input's format; `auto` (the default) tells it from the first bytes. */
  format?: SocialFormat | "auto";
  /** CSV only: which column fills which field. */
  columnMap?: CsvColumnMap;
  /** CSV only: the platform of rows without a `platform` column. */
  platform?: string;
  /** The input's size when known (a file): a JSON document over its limit is refused unread. */
  knownSize?: number;
}

/**
 * Reads accounts and posts from one social export in any format Vigil knows (see
 * `SOCIAL_FORMATS`), telling the format from the content unless it is given. Items come
 * as the pipeline takes them: observations, and a problem for each bad record.
 *
 * @example
 * for await (const item of readSocial(createReadStream("result.json"), { name: "result.json", observedAt })) …
 */
export async function* readSocial(
  input: Readable | AsyncIterable<Uint8Array>,
  options: ReadSocialOptions,
): AsyncGenerator<SourceItem> {
  const peeked = await peekInput(input, SOCIAL_FORMAT_SNIFF_BYTES);
  const auto = options.format === undefined || options.format === "auto";
  const format = auto ? detectSocialFormat(peeked.head) : options.format;
  if (format === undefined) {
    // An empty input holds nothing to read, which is not a problem.
    if (new TextDecoder().decode(peeked.head).trim() === "") {
      for await (const chunk of peeked.input) options.onBytes?.(chunk.length);
      return;
    }
    yield socialProblem(
      options.name,
      "VIGIL_ERR_SOCIAL_FORMAT",
      "cannot tell the format (vigil JSON lines, X API v2, Telegram export or CSV); give --format",
    );
    return;
  }
  const reader = {
    name: options.name,
    observedAt: options.observedAt,
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  };
  const sized =
    options.knownSize === undefined ? reader : { ...reader, knownSize: options.knownSize };
  switch (format) {
    case "jsonl":
      yield* readSocialJsonl(peeked.input, reader);
      return;
    case "x-v2":
      yield* readXV2(peeked.input, sized);
      return;
    case "telegram":
      yield* readTelegramExport(peeked.input, sized);
      return;
    case "csv":
      yield* readSocialCsv(peeked.input, {
        ...reader,
        ...(options.columnMap === undefined ? {} : { columnMap: options.columnMap }),
        ...(options.platform === undefined ? {} : { platform: options.platform }),
      });
      return;
  }
}
