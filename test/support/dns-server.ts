/**
 * A loopback DNS server (UDP, the `dns2` package) answering fixture records, for the
 * site-enrichment tests: a node `Resolver` pointed at it asks nothing of real DNS.
 * Names not in the table get NXDOMAIN (or REFUSED, as an authoritative server that does
 * not serve them answers); a name listed in `slow` is never answered. Several servers can
 * share one port on different loopback addresses (127.0.0.2, 127.0.0.3 …), as name
 * servers of different zones share port 53.
 */
import dns2 from "dns2";

const { Packet } = dns2;
/** RFC 1035 §4.1.1 "Name Error" (the package's typings do not list its RCODE table). */
const NXDOMAIN = 3;
/** RFC 1035 §4.1.1 "Refused". */
const REFUSED = 5;

export interface DnsZone {
  a?: string[];
  aaaa?: string[];
  cname?: string[];
  ns?: string[];
  mx?: Array<{ exchange: string; priority: number }>;
  /** The zone's SOA (primary name server, hostmaster, serial), when the server serves it. */
  soa?: { primary: string; admin: string; serial: number };
}

export interface DnsTestServer {
  /** `127.0.0.1:<port>`, for `Resolver.setServers` or `--dns-server`. */
  server: string;
  address: string;
  port: number;
  /** Questions received, as `TYPE name`. */
  questions: string[];
  close(): Promise<void>;
}

const TYPE_NAMES: Record<number, string> = {
  [Packet.TYPE.A]: "A",
  [Packet.TYPE.AAAA]: "AAAA",
  [Packet.TYPE.CNAME]: "CNAME",
  [Packet.TYPE.NS]: "NS",
  [Packet.TYPE.MX]: "MX",
  [Packet.TYPE.SOA]: "SOA",
};

/** Starts the server on `address` (default 127.0.0.1) and `port` (default a free UDP port). */
export async function startDnsServer(
  zones: Record<string, DnsZone>,
  options: {
    slow?: readonly string[];
    address?: string;
    port?: number;
    /** What names not in the table get (default NXDOMAIN). */
    unknown?: "nxdomain" | "refused";
    /** Answer the SOA of any name, as an open recursive resolver does. */
    anySoa?: boolean;
  } = {},
): Promise<DnsTestServer> {
  const questions: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      if (question === undefined) return send(response);
      const name = question.name.toLowerCase().replace(/\.$/, "");
      const type = TYPE_NAMES[question.type] ?? String(question.type);
      questions.push(`${type} ${name}`);
      if (options.slow?.includes(name)) return; // no answer: the client times out
      const zone =
        zones[name] ??
        (options.anySoa === true && type === "SOA"
          ? { soa: { primary: "resolver.test", admin: "hostmaster.resolver.test", serial: 1 } }
          : undefined);
      if (zone === undefined) {
        response.header.rcode = options.unknown === "refused" ? REFUSED : NXDOMAIN;
        return send(response);
      }
      const base = { name: question.name, class: Packet.CLASS.IN, ttl: 300 };
      // Plain records: the encoder reads their fields (the typings want Resource instances).
      type Resource = (typeof response.answers)[number];
      const answer = (record: object) => response.answers.push(record as Resource);
      if (type === "A")
        for (const address of zone.a ?? []) answer({ ...base, type: Packet.TYPE.A, address });
      if (type === "AAAA")
        for (const address of zone.aaaa ?? []) answer({ ...base, type: Packet.TYPE.AAAA, address });
      if (type === "CNAME")
        for (const domain of zone.cname ?? []) answer({ ...base, type: Packet.TYPE.CNAME, domain });
      if (type === "NS")
        for (const ns of zone.ns ?? []) answer({ ...base, type: Packet.TYPE.NS, ns });
      if (type === "MX")
        for (const mx of zone.mx ?? []) answer({ ...base, type: Packet.TYPE.MX, ...mx });
      if (type === "SOA" && zone.soa !== undefined)
        answer({
          ...base,
          type: Packet.TYPE.SOA,
          ...zone.soa,
          refresh: 3600,
          retry: 600,
          expiration: 86400,
          minimum: 300,
        });
      return send(response);
    },
  });
  const address = options.address ?? "127.0.0.1";
  const addresses = await server.listen({ udp: { port: options.port ?? 0, address } });
  const port = (addresses as { udp: { port: number } }).udp.port;
  return {
    server: `${address}:${port}`,
    address,
    port,
    questions,
    close: async () => {
      await server.close();
    },
  };
}
