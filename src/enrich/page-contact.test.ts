import { describe, expect, it } from "vitest";
import { MAX_CONTACT_ORGANISATIONS, readContact } from "./page-contact.js";
import { extractPage } from "./page-features.js";

const page = (head: string, body: string) =>
  extractPage(
    Buffer.from(
      `<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`,
    ),
    "https://news.example/about",
  );
const ld = (doc: unknown) => `<script type="application/ld+json">${JSON.stringify(doc)}</script>`;

describe("page contact details", () => {
  it("reads organisations' addresses from JSON-LD in its several shapes", () => {
    const features = page(
      [
        ld({
          "@context": "https://schema.org",
          "@graph": [
            {
              "@type": ["NewsMediaOrganization"],
              name: "The Ledger",
              address: [{ addressLocality: "Savannah", addressRegion: "GA", addressCountry: "US" }],
            },
            {
              "@type": "LocalBusiness",
              name: "Print shop",
              address: "14 Bay St, Savannah, GA 31401",
            },
            {
              "@type": "Organization",
              location: { "@type": "Place", address: { addressCountry: { name: "GB" } } },
            },
            // A person's address, and an organisation with neither address nor phone: not kept.
            { "@type": "Person", address: { addressCountry: "RU" } },
            { "@type": "Organization", name: "No address" },
          ],
        }),
        '<script type="application/ld+json; charset=utf-8">//<![CDATA[\n{"@type":"Corporation","telephone":"+44 20 7946 0000"}\n//]]></script>',
        '<script type="application/ld+json">{"@type": "Organization", "address": </script>',
      ].join(""),
      "<p>x</p>",
    );
    expect(features.contact?.organisations).toEqual([
      {
        type: "NewsMediaOrganization",
        name: "The Ledger",
        locality: "Savannah",
        region: "GA",
        country: "US",
      },
      { type: "LocalBusiness", name: "Print shop", address: "14 Bay St, Savannah, GA 31401" },
      { type: "Organization", country: "GB" },
      { type: "Corporation", telephone: "+44 20 7946 0000" },
    ]);
  });

  it("keeps the text of address, footer and contact blocks, one line per block, no scripts", () => {
    const features = page(
      "",
      `<main><p>Story text.</p></main>
<div class="site-contact"><p>Newsroom</p><p>14 Bay Street<br>Savannah, GA 31401</p></div>
<footer><address>22 River St</address><script>var x = "Moscow, Russia";</script><p>© 2024</p></footer>`,
    );
    expect(features.contact?.texts).toEqual([
      "Newsroom\n14 Bay Street\nSavannah, GA 31401",
      "22 River St\n© 2024",
    ]);
  });

  it("keeps tel: links and place meta tags", () => {
    const features = page(
      '<meta name="geo.region" content="US-GA"><meta property="og:country-name" content="USA">',
      '<p><a href="tel:+1%20912%20555%200100">Call</a> <a href="https://x.example/">x</a></p>',
    );
    expect(features.contact?.phones).toEqual(["+1 912 555 0100"]);
    expect(features.contact?.meta).toEqual({ "geo.region": "US-GA", "og:country-name": "USA" });
  });

  it("gives no contact for a page that has none", () => {
    expect(page("", "<p>Just a story.</p>").contact).toBeUndefined();
  });

  it("reads a bounded number of organisations from a hostile document", () => {
    const many = Array.from({ length: 5_000 }, (_, i) => ({
      "@type": "Organization",
      telephone: `+1 202 555 ${String(i).padStart(4, "0")}`,
    }));
    const deep = `${'{"child":'.repeat(10_000)}{"@type":"Organization","telephone":"+7 495 555 0000"}${"}".repeat(10_000)}`;
    const contact = readContact({
      jsonLd: [deep, JSON.stringify(many)],
      texts: [],
      phones: [],
      metas: new Map(),
    });
    expect(contact?.organisations).toHaveLength(MAX_CONTACT_ORGANISATIONS);
  });
});
