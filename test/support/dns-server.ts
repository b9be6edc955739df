/**
 * A loopback DNS server (UDP, the `dns2` package) answering fixture records, for the
 * site-enrichment tests: a node `Resolver` pointed at it asks nothing of real DNS.
 * Names not in the table get NXDOMAIN; a name listed in `slow` is never answered.
 */
import dns2 from "dns2";

const { Packet } = dns2;
/** RFC 1035 §4.1.1 "Name Error" (the package's typings do not list its RCODE table). */
const NXDOMAIN = 3;

export interface DnsZone {
  a?: string[];
  aaaa?: string[];
  cname?: string[];
  ns?: string[];
  mx?: Array<{ exchange: string; priority: number }>;
}

export interface DnsTestServer {
  /** `127.0.0.1:<port>`, for `Resolver.setServers` or `--dns-server`. */
  server: string;
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
};

/** Starts the server on 127.0.0.1 (a free UDP port). */
export async function startDnsServer(
  zones: Record<string, DnsZone>,
  options: { slow?: readonly string[] } = {},
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
      const zone = zones[name];
      if (zone === undefined) {
        response.header.rcode = NXDOMAIN;
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
      return send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = (addresses as { udp: { port: number } }).udp.port;
  return {
    server: `127.0.0.1:${port}`,
    questions,
    close: async () => {
      await server.close();
    },
  };
}
