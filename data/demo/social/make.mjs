// Writes the demo's social export (x-export.jsonl) and its two profile pictures, seeded:
// running it again writes the same files. Run from the repository root after `npm ci`:
//   node data/demo/social/make.mjs
// Every person and account here is fictional; see README.md beside this file.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const OUT = fileURLToPath(new URL("./", import.meta.url));

/** mulberry32: a small seeded generator, so the export is the same on every machine. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(20240816);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];
const chance = (p) => random() < p;
function shuffle(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const DAY = 86_400_000;
const START = Date.parse("2024-08-12T00:00:00Z");
const DAYS = 7;
const iso = (ms) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** A time in the US daytime (10:00–04:00 UTC, peaking in the evening) on a random day. */
function daytime(day = int(DAYS)) {
  const hour = 11 + Math.min(16.9, Math.abs(random() + random() + random() - 1.5) * 6 + random() * 4);
  return START + day * DAY + hour * 3_600_000 + int(3_600_000);
}

const accounts = [];
const posts = [];
let nextPost = 1_823_500_000_000_000_000n;
const postId = () => String((nextPost += BigInt(1_000_000 + int(9_000_000))));

function account(fields) {
  const record = { type: "account", platform: "x", ...fields };
  accounts.push(record);
  return record;
}
function post(author, created, text, extra = {}) {
  const p = { type: "post", platform: "x", id: postId(), account: author.id, created: iso(created), text, ...extra };
  if (p.text === "") delete p.text;
  posts.push(p);
  return p;
}
const repost = (author, of, created) => post(author, created, "", { repostOf: of.id });

// --- The activist and the account impersonating her --------------------------------

const tamsin = account({
  id: "1108342267219456001",
  handle: "tamsinardell",
  displayName: "Tamsin Ardell",
  bio: "Organiser, Ohio Votes Together. Every eligible voter registered, every ballot counted. She/her. Views my own.",
  created: "2019-03-04T15:12:00Z",
  avatar: "avatars/tamsin-ardell.png",
  followers: 48211,
  following: 903,
  links: ["https://ohiovotestogether.example"],
  verified: true,
});
const impostor = account({
  id: "1822890413377302528",
  handle: "TamsinArdeIl",
  displayName: "Tamsin Ardell",
  bio: "Organiser, Ohio Votes Together. Every eligible voter registered, every ballot counted. She/her. Backup account.",
  created: "2024-08-12T03:41:00Z",
  avatar: "avatars/tamsin-ardell-copy.jpg",
  followers: 214,
  following: 1650,
  links: [],
});

// --- Outlets' own accounts (listed on the watchlist: never flagged) ------------------

const wapo = account({
  id: "2467791",
  handle: "washingtonpost",
  displayName: "The Washington Post",
  bio: "Democracy Dies in Darkness",
  created: "2007-03-13T18:00:00Z",
  followers: 19800000,
  following: 1800,
  links: ["https://www.washingtonpost.com"],
  verified: true,
});
const fox = account({
  id: "1367531",
  handle: "FoxNews",
  displayName: "Fox News",
  bio: "Follow America's #1 cable news network.",
  created: "2007-03-01T14:00:00Z",
  followers: 24500000,
  following: 150,
  links: ["https://www.foxnews.com"],
  verified: true,
});

// --- Organic background -----------------------------------------------------------

const FIRST = ["Maya", "Jordan", "Ellis", "Priyanka", "Caleb", "Rosa", "Dmitri", "Hannah", "Theo", "Imani", "Grant", "Lucia", "Wes", "Noor", "Brady", "Kiara", "Owen", "Mei", "Darnell", "Sofia", "Rory", "Anika", "Hector", "Leah", "Marcus", "Greta", "Sam", "Yusuf", "Tessa", "Jonah", "Carmen", "Felix", "Ada", "Reuben", "Lena", "Quinn", "Bea", "Tariq", "Jun", "Nadia", "Colm", "Ivy", "Mateo", "Ruth", "Zane", "Elena", "Abe", "Farah", "Kurt", "Lila", "Omar", "Pia", "Vince", "Wren"];
const LAST = ["Brennan", "Okafor", "Lindqvist", "Tran", "Mercado", "Halloway", "Suzuki", "Petrakis", "Delacroix", "Nyberg", "Castile", "Ferreira", "Kowalczyk", "Adeyemi", "Marsh", "Quintero", "Holm", "Varga", "Ashby", "Rinaldi", "Osei", "Pruitt", "Sandoval", "Whitlock", "Yilmaz", "Bauer", "Keane", "Moreau", "Strand", "Ibarra"];
const INTERESTS = ["Teacher.", "Nurse, night shifts.", "Dad of three.", "Cleveland born.", "Running, coffee, repeat.", "Local news junkie.", "Retired machinist.", "Grad student, Columbus.", "Small business owner.", "Dog person.", "Library volunteer.", "Bad at golf.", "Public radio fan.", "Cincinnati.", "Amateur baker.", "Union electrician.", "Birder.", "Youth soccer coach."];

const organic = [];
const used = new Set(["tamsinardell"]);
// Enough accounts that ten made in one week stand out from when accounts are usually made.
for (let i = 0; i < 150; i++) {
  let first;
  let last;
  let handle;
  do {
    first = pick(FIRST);
    last = pick(LAST);
    handle = pick([
      () => `${first}${last}`.toLowerCase(),
      () => `${first[0]}${last}`.toLowerCase(),
      () => `${first}_${last}`.toLowerCase(),
      () => `${first.toLowerCase()}${last[0].toLowerCase()}${10 + int(89)}`,
      () => `${last.toLowerCase()}${first.toLowerCase()}`,
    ])();
  } while (used.has(handle));
  used.add(handle);
  organic.push(
    account({
      id: String(300_000_000 + i * 7_919_011 + int(7_000_000)),
      handle,
      displayName: `${first} ${last}`,
      bio: `${pick(INTERESTS)} ${pick(INTERESTS)}`,
      created: iso(Date.parse("2009-06-01T00:00:00Z") + int(14 * 365) * DAY + int(DAY)),
      followers: Math.floor(20 + 4000 * random() ** 4),
      following: 50 + int(900),
      links: [],
    }),
  );
}

// Two fragments a post, and no pair of fragments used twice: organic posts share at most
// half their words with any other, as unrelated people's posts do.
const OPENERS = [
  "Finally got the tomatoes in before the heat came back",
  "Third day of road work outside the house and counting",
  "The lake was perfect this morning, barely a ripple",
  "Our county fair opens Friday and the kids are counting the hours",
  "Watched the gymnastics final twice and I still cannot believe that landing",
  "Library book sale this weekend, bring your own bags",
  "School supply lists get longer every single year",
  "Power flickered three times during the storm last night",
  "Tried the new taco place on High Street at lunch",
  "My neighbour's sunflowers are taller than the garage now",
  "Coach cancelled practice again because of the lightning",
  "Gas went up twelve cents since Monday around here",
  "First shift back after vacation and the inbox is a monster",
  "The Guardians bullpen gave me grey hairs tonight",
  "Found a box of my grandmother's recipes in the attic",
  "The farmers market had the first sweet corn of the season",
  "Registered two new voters at the church picnic today",
  "Our polling place moved to the middle school this year",
  "Union hall meeting ran long but we got the contract vote scheduled",
  "Heat index hit one hundred and four at the bus stop",
  "The closing ceremony fireworks looked unreal on TV",
  "Somebody left a whole zucchini on every porch on our street",
  "Spent the afternoon helping my dad fix his fence",
  "The new bike lane on Fourth Avenue is actually getting used",
  "Convention coverage starts next week and I am already tired",
  "Reading the city council minutes so you do not have to",
  "Our dog discovered the sprinkler and will not come inside",
  "Night shift at the hospital was quiet for once",
  "Picked up the absentee ballot application for my mom",
  "Kids built a lemonade stand and made eleven dollars",
  "Morning fog over the river made the commute slow",
  "Finished the mystery novel everyone keeps recommending",
];
const REMARKS = [
  "anyone else dealing with this?",
  "small wins, I will take them.",
  "honestly made my whole week.",
  "not complaining, just noting it.",
  "who else is watching tonight?",
  "summer in Ohio, what can you do.",
  "tell me I am not the only one.",
  "this town surprises me sometimes.",
  "photos later if the light holds.",
  "grateful for good neighbours.",
  "we will see how long that lasts.",
  "adding it to the list of things to fix.",
  "recommend it if you are nearby.",
  "calling it a night after this.",
  "more on this at the meeting Thursday.",
  "my coffee is not strong enough for this.",
  "the simple things really are the best.",
  "look up your registration, it takes a minute.",
  "details on the county website if you need them.",
  "could not have asked for a better day.",
  "still thinking about it hours later.",
  "what a season it has been.",
  "sending good thoughts to everyone on the road.",
  "the group chat has opinions.",
  "back to it tomorrow.",
  "proud of this community.",
  "weather app was wrong again.",
  "there is always next year.",
  "fingers crossed for the weekend.",
  "that is all the news from our corner.",
  "somebody tell the mayor.",
  "worth every minute of it.",
  "a good reminder to slow down.",
  "nobody warned me about this part.",
  "we laughed about it all evening.",
  "I will report back next week.",
  "my grandmother would have loved it.",
  "if you know, you know.",
  "ask me how I know.",
  "the dog agrees with me.",
];
const ASIDES = [
  "Long week at work, but the evenings have been lovely",
  "Meanwhile the cat has claimed the laundry basket again",
  "Also the corner store finally restocked the good bread",
  "On the bright side the tomatoes look great",
  "My sister says hello from Dayton",
  "Still waiting on the plumber, day four",
  "Running club meets at six if anyone wants in",
  "Somebody please explain fantasy football to me",
  "The porch swing is fixed at last",
  "Half the street turned out for the block party",
  "Yes I am still reading that same book",
  "Our library card drive is going well",
  "Slow cooker chili is on for tomorrow",
  "The kids are counting down to the first day of school",
  "Still no rain in the forecast for us",
  "Drove past the fairgrounds and the rides are going up",
  "The new coffee place is already my favourite",
  "Picked blackberries by the trail on the way home",
  "The garage sale made forty dollars and a lot of friends",
  "My tomatoes are somehow both early and late",
  "Power bill arrived and it was not pretty",
  "The neighbour kid mowed our lawn for ten bucks",
  "Choir practice moved to Wednesdays",
  "We finally got the window unit installed",
  "The church bake sale sold out by noon",
  "Our street finally got its pothole filled",
  "The ice cream truck came by twice today",
  "My book club picked a nine hundred page novel",
  "The high school band is practising in the parking lot",
  "Tomorrow is trash day and I keep forgetting",
  "The pool closes for the season in three weeks",
  "Our town hall clock is finally right again",
  "The kids want a pet lizard now",
  "I repainted the mailbox and it looks brand new",
  "The neighbours got a new puppy named Biscuit",
  "Downtown has three new murals this summer",
];
// Each pair of fragments is used once at most, so two posts share one fragment at most.
const pairsUsed = new Set();
function organicText() {
  for (;;) {
    const a = int(OPENERS.length);
    const b = int(REMARKS.length);
    const c = int(ASIDES.length);
    const keys = [`o${a}r${b}`, `o${a}a${c}`, `r${b}a${c}`];
    if (keys.some((k) => pairsUsed.has(k))) continue;
    for (const k of keys) pairsUsed.add(k);
    return `${OPENERS[a]}, ${REMARKS[b]} ${ASIDES[c]}.`;
  }
}
const TRENDS = ["Olympics", "HeatWave", "DNC2024", "OhioStateFair", "BackToSchool"];
const NEWS = [
  "https://www.washingtonpost.com/politics/2024/08/14/ohio-early-voting-hours/",
  "https://www.nytimes.com/2024/08/13/us/heat-wave-midwest.html",
  "https://www.cnn.com/2024/08/15/politics/convention-chicago-preview/index.html",
  "https://www.foxnews.com/politics/ohio-senate-race-ad-spending",
  "https://www.nbcnews.com/news/us-news/school-supply-costs-rise-rcna165000",
  "https://www.usatoday.com/story/sports/olympics/2024/08/12/closing-ceremony-recap/",
];

// Heavy-tailed activity: most people post a handful of times, a few post a lot.
for (const a of organic) {
  const n = 1 + Math.floor(10 * random() ** 2.5);
  for (let k = 0; k < n; k++) {
    const extra = {};
    let text = organicText();
    if (chance(0.25)) {
      const tag = pick(TRENDS);
      text += ` #${tag}`;
      extra.hashtags = [tag];
    }
    if (chance(0.2)) {
      const url = pick(NEWS);
      text += ` ${url}`;
      extra.urls = [url];
    }
    post(a, daytime(), text, extra);
  }
}

// The outlets post their stories; readers repost the ones that catch on, over hours.
const stories = [
  post(wapo, START + 1 * DAY + 13.2 * 3_600_000, "Early voting hours in Ohio's largest counties, explained. https://www.washingtonpost.com/politics/2024/08/14/ohio-early-voting-hours/", { urls: [NEWS[0]] }),
  post(fox, START + 3 * DAY + 15.5 * 3_600_000, "Ad spending in Ohio's Senate race passes a record. https://www.foxnews.com/politics/ohio-senate-race-ad-spending", { urls: [NEWS[3]] }),
];
const genuine = [
  post(tamsin, START + 0 * DAY + 16 * 3_600_000, "Registration drive at the Akron public library Saturday 10 to 2. Bring a friend who just moved. #OhioVotes", { hashtags: ["OhioVotes"] }),
  post(tamsin, START + 2 * DAY + 19 * 3_600_000, "Reminder: the deadline to register for November in Ohio is October 7. Check your status today. #OhioVotes", { hashtags: ["OhioVotes"] }),
  post(tamsin, START + 5 * DAY + 14 * 3_600_000, "Forty-one new voters at the Canton farmers market this morning. Thank you, volunteers! #OhioVotes", { hashtags: ["OhioVotes"] }),
];
for (const original of [...stories, ...genuine]) {
  const t0 = Date.parse(original.created);
  for (const a of shuffle(organic).slice(0, 5 + int(9))) {
    repost(a, original, t0 + 600_000 + int(30 * 3_600_000));
  }
}

// --- The coordinated network ----------------------------------------------------------

// Ten accounts made within four days of each other, a week before the push.
const NETWORK = [
  ["buckeye_patriot_44", "Buckeye Patriot", "Ohio born and raised. Faith, family, freedom."],
  ["mom_of_ohio_1776", "Ohio Mom", "Mother of 3. Asking the questions nobody else will."],
  ["rustbelt_truth", "Rust Belt Truth", "Just a working man who reads the news."],
  ["lakeerie_linda", "Linda from Lake Erie", "Grandma. Retired. Paying attention."],
  ["real_midwest_voice", "Midwest Voice", "Independent thinker. No party owns me."],
  ["columbus_watchman", "Columbus Watchman", "Watching so you don't have to."],
  ["daytondadjoe", "Joe in Dayton", "Dad, veteran, fed up."],
  ["heartland_hannah_", "Hannah Heartland", "Small town values. Big questions."],
  ["toledo_tom_says", "Tom Says", "Toledo. Coffee and common sense."],
  ["ohio_ballot_watch", "Ballot Watch OH", "Counting what they won't show you."],
];
const network = NETWORK.map(([handle, displayName, bio], i) =>
  account({
    id: String(1_820_400_000_000_000_000n + BigInt(i * 1_370_000_000_000 + int(900_000_000_000))),
    handle,
    displayName,
    bio,
    created: iso(Date.parse("2024-08-05T02:00:00Z") + int(4 * DAY)),
    followers: 40 + int(300),
    following: 400 + int(2000),
    links: [],
  }),
);

// Six stories, each told in slightly different words; every wave is one story posted by most of
// the network within the hour, with the same links and hashtags, and reposted.
const WAVES = [
  {
    day: 1,
    hour: 22.5,
    url: "https://washingtonpost.pm/politics/2024/08/13/ohio-voter-rolls-noncitizens/",
    hashtags: ["OhioVoterRolls", "ElectionIntegrity"],
    text: "The Washington Post {admits|confirms} thousands of noncitizens are on Ohio voter rolls and nobody is removing them",
  },
  {
    day: 2,
    hour: 23.2,
    url: "https://fox-news.in/politics/ohio-mail-ballots-sent-to-dead-voters",
    hashtags: ["ElectionIntegrity", "RiggedInOhio"],
    text: "Mail ballots are being {sent|mailed} to dead voters across Ohio and the county boards {refuse|decline} to explain why",
  },
  {
    day: 4,
    hour: 21.8,
    url: "https://washingtonpost.pm/national/2024/08/16/migrants-bused-to-ohio-to-vote/",
    hashtags: ["OhioVoterRolls", "RiggedInOhio"],
    text: "{Leaked|Internal} memo shows migrants are being bused into Ohio towns just in time to register and vote in November",
  },
  {
    day: 5,
    hour: 23.6,
    url: "https://nytlmes.com/2024/08/17/us/politics/ohio-voting-machines-foreign-servers.html",
    hashtags: ["ElectionIntegrity", "RiggedInOhio"],
    text: "New York Times {reports|confirms} Ohio voting machines send results to servers overseas before the count is certified",
  },
  {
    day: 3,
    hour: 0.8,
    url: "https://fox-news.in/us/ohio-poll-workers-told-to-ignore-signature-checks",
    hashtags: ["RiggedInOhio", "ElectionIntegrity"],
    text: "Poll workers in Ohio were {told|ordered} to {ignore|skip} signature checks on mail ballots, a whistleblower says",
  },
  {
    day: 6,
    hour: 22.1,
    url: "https://washingtonpost.pm/politics/2024/08/18/ohio-count-delayed-on-purpose/",
    hashtags: ["OhioVoterRolls", "RiggedInOhio"],
    text: "Officials {plan|are planning} to delay the Ohio count on purpose so the late ballots {can be|get} added overnight",
  },
];
/** One wording of a template: each `{a|b}` becomes one of its choices. */
const paraphrase = (template) => template.replace(/\{([^}]*)\}/g, (_, choices) => pick(choices.split("|")));
const OPENINGS = ["", "", "", "BREAKING: ", "Wow. ", "Unbelievable. "];
const CLOSINGS = ["", "", " Share this.", " Look it up.", " 🇺🇸"];
for (const wave of WAVES) {
  const start = START + wave.day * DAY + wave.hour * 3_600_000;
  const posters = shuffle(network);
  const sent = posters.map((a, k) => {
    // Staggered: a few minutes apart, with jitter, as a schedule run by hand would be.
    const at = start + k * (4 + int(7)) * 60_000 + int(90_000);
    const text = `${pick(OPENINGS)}${paraphrase(wave.text)}.${pick(CLOSINGS)} ${wave.url} ${wave.hashtags.map((h) => `#${h}`).join(" ")}`;
    return post(a, at, text, { urls: [wave.url], hashtags: wave.hashtags });
  });
  // The first two posts of a wave are reposted by the others within the hour.
  for (const lead of sent.slice(0, 2)) {
    for (const a of shuffle(network.filter((n) => n.id !== lead.account)).slice(0, 7 + int(3))) {
      repost(a, lead, Date.parse(lead.created) + (3 + int(40)) * 60_000);
    }
  }
}
// Between waves the network posts filler like anyone else, so it is not only its pushes.
for (const a of network) {
  for (let k = 0; k < 7 + int(4); k++) post(a, daytime(), organicText());
}

// --- The impersonator's posts ------------------------------------------------------

post(impostor, START + 0 * DAY + 4.2 * 3_600_000, "My old account was hacked, so this is my new account. Please follow and share, the other one is not me anymore. #OhioVotes", { hashtags: ["OhioVotes"] });
post(impostor, START + 1 * DAY + 23.9 * 3_600_000, "I'm Tamsin Ardell and I have to be honest with you: I no longer trust the count in Ohio. https://washingtonpost.pm/politics/2024/08/13/ohio-voter-rolls-noncitizens/", { urls: [WAVES[0].url] });
post(impostor, START + 4 * DAY + 22.7 * 3_600_000, "After everything I have seen organising, I will not be voting in November. Think hard before you do. #OhioVotes", { hashtags: ["OhioVotes"] });

// --- Pictures and the export ------------------------------------------------------------

/** A plain portrait of no one: a face-like disc and shoulders on a gradient. */
async function portrait() {
  const size = 200;
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      let rgb = [40 + y / 3, 90 + x / 4, 150 - y / 4];
      const face = (x - 100) ** 2 / 40 ** 2 + (y - 80) ** 2 / 50 ** 2;
      const hair = (x - 100) ** 2 / 52 ** 2 + (y - 66) ** 2 / 58 ** 2;
      const body = (x - 100) ** 2 / 85 ** 2 + (y - 215) ** 2 / 80 ** 2;
      if (body < 1) rgb = [150, 40, 60];
      else if (face < 1) rgb = [224 - y / 6, 182 - y / 8, 150];
      else if (hair < 1) rgb = [70, 45, 30];
      pixels.set(rgb.map((v) => Math.max(0, Math.min(255, Math.round(v)))), i);
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}
mkdirSync(`${OUT}avatars`, { recursive: true });
const png = await portrait();
writeFileSync(`${OUT}avatars/tamsin-ardell.png`, png);
// The copy: cropped a little, shrunk and saved as a JPEG, as a downloaded picture is.
writeFileSync(
  `${OUT}avatars/tamsin-ardell-copy.jpg`,
  await sharp(png).extract({ left: 2, top: 2, width: 196, height: 196 }).resize(160, 160).modulate({ brightness: 1.03 }).jpeg({ quality: 72 }).toBuffer(),
);

posts.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1));
// The impersonator comes first, as it would in an export sorted by when accounts were
// last seen: it is held back and judged once the genuine account has been read.
const ordered = [impostor, ...accounts.filter((a) => a !== impostor)];
const lines = [...ordered, ...posts];
writeFileSync(`${OUT}x-export.jsonl`, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
console.log(`${accounts.length} accounts, ${posts.length} posts`);
