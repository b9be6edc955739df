import { DnsEnricher, type DnsRecordType, dnsResolver } from "../enrich/index.js";

/**
 * The DNS enricher of a command's `--dns-server` options: the servers named, or the
 * system's when none are. Special-use names (`.test`, `.example` …) are asked only of a
 * server named on purpose, so a lab capture does not leak its names to the system's
 * resolver. Shared by `scan site` and `scan domains --check-ownership`.
 */
export function dnsEnricherOption(options: {
  servers: readonly string[] | undefined;
  now: () => Date;
  /** The record types asked (default all five). */
  records?: readonly DnsRecordType[];
}): DnsEnricher {
  return new DnsEnricher({
    resolver: dnsResolver(options.servers === undefined ? {} : { servers: options.servers }),
    reservedNames: options.servers === undefined ? "skip" : "ask",
    now: options.now,
    ...(options.records === undefined ? {} : { records: options.records }),
  });
}
