import { STATUS_CODES } from "node:http";
import type { HttpExchange } from "../sources/index.js";
import { warcRecord } from "./warc-record.js";

/**
 * A capture as one WARC/1.1 file: a warcinfo record, then a request and a response
 * record for every HTTP exchange (redirect hops, the page, its favicon), each gzipped on
 * its own. The response head is rebuilt from the parsed status and headers (undici does
 * not hand over the bytes of the head); the body is as received, content coding kept,
 * and a `Transfer-Encoding` header is renamed since the chunking is already undone.
 */
export function captureWarc(
  exchanges: readonly HttpExchange[],
  info: { software: string; capturedAt: string; note?: string },
): Buffer {
  const warcinfo = warcRecord({
    type: "warcinfo",
    date: info.capturedAt,
    contentType: "application/warc-fields",
    block: Buffer.from(
      `${[
        `software: ${info.software}`,
        "format: WARC File Format 1.1",
        "conformsTo: https://iso.org/standard/68004.html",
        ...(info.note === undefined ? [] : [`description: ${info.note.replace(/[\r\n]+/g, " ")}`]),
      ].join("\r\n")}\r\n`,
    ),
  });
  const parts = [warcinfo.bytes];
  for (const exchange of exchanges) {
    const common = {
      date: exchange.startedAt,
      targetUri: exchange.url,
      ipAddress: exchange.address,
      headers: [["WARC-Warcinfo-ID", warcinfo.id]] as Array<[string, string]>,
    };
    const response = warcRecord({
      ...common,
      type: "response",
      contentType: "application/http;msgtype=response",
      block: responseBlock(exchange),
    });
    const request = warcRecord({
      ...common,
      type: "request",
      contentType: "application/http;msgtype=request",
      block: requestBlock(exchange),
      headers: [...common.headers, ["WARC-Concurrent-To", response.id]],
    });
    parts.push(request.bytes, response.bytes);
  }
  return Buffer.concat(parts);
}

function requestBlock(exchange: HttpExchange): Buffer {
  const { method, target, headers } = exchange.request;
  const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
  return Buffer.from(head, "latin1");
}

function responseBlock(exchange: HttpExchange): Buffer {
  const reason =
    exchange.statusText !== "" ? exchange.statusText : (STATUS_CODES[exchange.status] ?? "");
  const lines = exchange.headers.map(([k, v]) =>
    k === "transfer-encoding" ? `x-original-transfer-encoding: ${v}\r\n` : `${k}: ${v}\r\n`,
  );
  const head = `HTTP/1.1 ${exchange.status} ${reason}\r\n${lines.join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), exchange.rawBody]);
}
