/**
 * Threads that are not about data problems. Hard negatives use data words in their everyday sense
 * (join the call, duplicate invite, access badge, hiring pipeline, stale bagels); plain negatives are
 * ordinary workplace chatter with no data vocabulary at all.
 */
export interface Scenario {
  roots: string[];
  replies: string[];
  subjects: string[];
  emailBodies: string[];
}

export const HARD_NEGATIVE_SCENARIOS: Scenario[] = [
  {
    // calls and meetings
    roots: [
      "(can you|could you|can someone) join the (call|zoom|meet|standup) (at|around) {time}? (we're|we are) (waiting|short one person|starting)",
      "(the|this) (video|zoom|meet) (call|link) (keeps lagging|has terrible lag|is laggy) (for me|today), (anyone else|is it just me)?",
      "(I|i) (got|received) a duplicate (invite|calendar invite|meeting invite) for the {event}. (which one|which invite) (is|should I) (the real one|accept)?",
      "(please|pls) join the {event} (call|bridge) (a few minutes|5 min) early (today|{day}), (we|I) need to (test|check) the (screen share|audio)",
      "(who|can someone) (owns|has) (edit|edit access to the|host) access (on|for) the {event} (calendar|invite)? need to (move|reschedule) it to {day}",
    ],
    replies: [
      "(joining|joined|coming) (now|in 2|in a sec)",
      "(lag|the lag) (is|was) (on|from) my (wifi|home internet|side), (switching|switched) to (phone|mobile hotspot)",
      "(decline|ignore) the duplicate, (the|one) (invite|link) from {user} is the (right|correct) one",
      "(can't|cannot) join (today|{day}), (conflict|clash) with the {event}. (send|share) (notes|the recording)?",
      "(moved|rescheduled) it to {day} {time}, (new|updated) invite (sent|out)",
      "(you should|you'll) (have|now have) edit access (to|on) the invite (now|)",
      "(the|that) (link|zoom link) (in|on) the invite (is|was) (old|wrong), (use|here's) the one in the channel topic",
      "(audio|mic) (is|was) (fine|ok|working) (now|on my end), (thanks|thx)",
    ],
    subjects: [
      "(Duplicate invite|Two invites): {event}",
      "(Please join|Join) the {event} call {day}",
      "(Rescheduled|Moved): {event} (to|on) {day}",
    ],
    emailBodies: [
      "(Hi all|Hello team), (apologies|sorry) for the duplicate invite for the {event}. Please (decline|delete) the (first|older) one and (keep|accept) the invite for {day} at {time}. (The|A) (dial-in|video link) is in the (calendar entry|invite).",
      "(Please|Kindly) join the {event} call on {day} at {time}. (We will|We'll) (cover|go through) (the agenda|planning, hiring and the offsite) and (keep it|finish) (within|under) (30|45) minutes. If you cannot join, (reply|let me know) and I will share the recording.",
      "(Hi all|Hello everyone), the {event} (has moved|is rescheduled) to {day} at {time} (because of|due to) a (conflict|clash) with the (town hall|offsite). (The|An) updated invite (is out|has been sent); (please|kindly) (decline|delete) the old one so you do not get a duplicate reminder.",
    ],
  },
  {
    // the office
    roots: [
      "(my|the) office access badge (stopped working|doesn't work|isn't working) (on|at) the {floor} (door|entrance|turnstile). (who|which team) (fixes|handles) (badges|that)?",
      "(who|does anyone) (has|have) the key to the (supply room|storage closet|bike room|mail room)? (need|I need) (to grab|to get) (a monitor|cables|the projector)",
      "(can|could) (someone|we) (book|reserve) a (table|big table) (at|for) {place} (for|on) {day}? (team lunch|farewell lunch) for {n} (people|ppl)",
      "(the|those) (bagels|croissants|snacks|donuts) in the kitchen (are|look|are getting) stale, (can we|should we) (toss them|throw them out)?",
      "(facilities|office team): the (new|updated) seating (map|plan|chart) for {floor} (has|puts) (two people|me and {user}) at the same desk",
      "(is|are) there (fresh|any fresh) (coffee|fruit|milk) (on|at) {floor}? (machine|the machine) (says|shows) (refill|empty)",
    ],
    replies: [
      "(badge|your badge) (access|permissions) (get|are) (reset|renewed) by (facilities|security) at the front desk, (bring|with) your (ID|laptop)",
      "(key|the key) (is|lives) (with|at) the (front desk|reception), (sign|just sign) it out",
      "(booked|reserved) a table for {n} (for|on) {day} at {time}",
      "(tossed|threw out|binned) the stale ones, (fresh|new) (delivery|batch) (comes|arrives) (tomorrow|on {day})",
      "(updated|fixed) the seating (map|chart), (you're|you are) (now|) at desk {desk}",
      "(refilled|restocked) the (coffee|machine|fridge), (enjoy|you're welcome)",
      "(mine|my badge) (did|does) the same (last week|yesterday), (reception|security) (fixed|reset) it in (a minute|2 min)",
      "(thanks|thx|ty)! (all good|sorted) now",
    ],
    subjects: [
      "Office access badges (for|on) {floor}",
      "(New|Updated) seating (map|plan) (for|on) {floor}",
      "(Team lunch|Farewell lunch) {day}: (table|booking) for {n}",
    ],
    emailBodies: [
      "(Hi everyone|Hello all), (starting|from) {day} the {floor} (doors|entrance) (use|require) the new office access badges. (Please|Kindly) (collect|pick up) yours at reception (and|then) (return|hand in) the old one. (Visitors|Guests) still sign in at the front desk.",
      "(Facilities|Office) update: the (new|revised) seating map for {floor} is (attached|on the wiki {wiki}). (Lockers|Keys) for the (storage|supply) room are with reception. (Fresh|The) (fruit|coffee) delivery (moves|changes) to {day} mornings.",
      "(Hi team|Hello all), (we have|I booked) a table for {n} at {place} on {day} at {time} for the (team lunch|farewell lunch). (Please|Kindly) (reply|let me know) by {day} (if you can join|with any dietary needs).",
    ],
  },
  {
    // recruiting
    roots: [
      "(our|the) hiring pipeline for the {job} (role|opening) (is|looks) (thin|pretty thin|empty) (this month|right now). (any|got) referrals?",
      "(we|I) (got|have) (approval|headcount) to backfill the {job} (role|position) (after|since) {user} (left|moved teams)",
      "(is|are) (anyone|you) (free|available) to join the {job} (interview|onsite) panel (on|this) {day}?",
      "(candidate|a candidate) (got|received) a duplicate (offer letter|interview invite|rejection email). (can|could) (recruiting|someone) (sort|fix) it?",
    ],
    replies: [
      "(posted|shared) the {job} (role|opening) (on|in) (my network|the referral channel)",
      "(I|i) can (join|do) the panel {day} (afternoon|morning)",
      "(backfill|the backfill) (req|requisition) is (open|approved) (now|), (recruiting|talent) (will|is going to) (post|publish) it (this week|tomorrow)",
      "(sent|forwarded) {n} (profiles|CVs|resumes) to the (recruiter|hiring manager)",
      "(recruiting|talent team) (apologised|sent a correction) (for|about) the duplicate (email|letter)",
      "(pipeline|the pipeline) (looks|is looking) (better|healthier) (now|this week), {n} (candidates|people) (in|at) (onsite|final) stage",
    ],
    subjects: [
      "(Hiring pipeline|Recruiting) update: {job}",
      "Backfill (approved|open) for the {job} (role|position)",
      "(Interview panel|Panel) (needed|volunteers) {day}",
    ],
    emailBodies: [
      "(Hi team|Hello all), (quick|short) recruiting update: the hiring pipeline for the {job} role has {n} candidates (in process|at onsite). (We|I) (also|) got approval to backfill the {job} position, so please (send|share) referrals. (Interview panels|Panels) (run|are) on {day}.",
      "(Hi all|Hello team), (good news|quick update): we (got approval|have headcount) to backfill the {job} (role|position). (The|A) (job post|req) (goes live|is published) {day}; (please|kindly) share it with your network and (send|forward) referrals to recruiting.",
      "(Hi all|Hello everyone), we need (two|three) more people for the {job} interview panel on {day}. (Each|The) (slot|session) is (45|60) minutes; (training|a short briefing) (is provided|happens beforehand). (Reply|Let me know) if you can join.",
    ],
  },
  {
    // social, events and the rest of life
    roots: [
      "(who's|who is) (going|coming) to the (fair|street fair|food fair) {day}? (I hear|heard) (there's|there is) a funnel cake (stand|truck)",
      "(field day|the field trip|the volunteer day) (is|happens) {day}, (sign up|signups) (close|end) (tomorrow|{day}). (bring|wear) (sneakers|comfy shoes)",
      "(the|our) (step challenge|fitness challenge) leaderboard (is up|is live)! (my|the) (metric|step count) (says|shows) {big} (steps|) (this week|so far)",
      "(who|does anyone) (wrote|write|know who wrote) the (quote|line) in the (all-hands|newsletter|blog post)? (need|we need) (the|proper) attribution (for|before) (publishing|we publish)",
      "(anyone|does anyone) (know|have) a (good|decent) (mechanic|garage)? my car dashboard (is|keeps) (showing|flashing) (a warning light|the engine light)",
      "the {team} team offsite (is|happens) {day}. (revenue|the revenue team) (is|are) (hosting|organising) (dinner|drinks|karaoke)",
      "(expenses|finance ops): (I|i) (submitted|filed) a duplicate expense (claim|report) for the {event} (by mistake|accidentally), (can|how do) I (withdraw|cancel) one?",
    ],
    replies: [
      "(I'm in|count me in|I'll be there)!",
      "(signed up|sign me up), (see you|see ya) there",
      "(attribution|credit) (goes|should go) to {user}, (it's|its) from (their|the) (keynote|talk|town hall)",
      "(try|go to) the (garage|shop) on (main street|5th), they (fixed|sorted) my (dashboard|dash) light (fast|in a day)",
      "(withdraw|recall) the duplicate (claim|report) (in|from) the expense tool, (finance|they) (won't|will not) pay it twice",
      "(leaderboard|the leaderboard) (refreshes|updates) (every|each) (morning|night), (keep walking|don't give up) {emoji}",
      "(funnel cake|the funnel cake) (was|is) (amazing|worth it), (highly|10/10) recommend",
      "(thanks|thank you) for (organising|sorting) (this|it)!",
    ],
    subjects: [
      "{team} offsite {day}: (dinner|agenda and logistics)",
      "(Volunteer day|Field day) (signups|sign-ups) (close|closing) {day}",
      "(Step challenge|Fitness challenge): (week|round) {n} leaderboard",
    ],
    emailBodies: [
      "(Hi all|Hello everyone), the {team} team offsite (is on|takes place) {day}. (The|A) (revenue|sales) team is hosting dinner and (karaoke|a quiz) afterwards. (Please|Kindly) (sign up|RSVP) (by|before) {day} so (we|I) can (book|reserve) (tables|the venue).",
      "(Reminder|Friendly reminder): (field day|the volunteer day) is {day}. (Sign up|Signups) (on|in) the (wiki|sheet) {wiki}; (bring|wear) comfortable shoes. (There will be|Expect) food trucks, including a funnel cake stand.",
      "(Hi all|Hello everyone), the step challenge leaderboard for week {n} is (up|live). (The|Our) (leading|top) team (logged|walked) {big} steps; the leaderboard (refreshes|updates) every morning. (Keep|Keep on) walking!",
    ],
  },
];

export const NEGATIVE_SCENARIOS: Scenario[] = [
  {
    // lunch and food
    roots: [
      "(lunch|anyone for lunch|who's up for lunch)? (thinking|maybe) (tacos|ramen|the salad place|pho|dumplings) (at|around) {time}",
      "(there's|there is) (leftover|free) (cake|pizza|cookies) (in|on) the {floor} kitchen, (help yourselves|come grab some)",
      "(who|does anyone) (wants|want) to (order|get) (sushi|pizza|burritos) for the (team|late) (dinner|lunch) {day}?",
    ],
    replies: ["(in|I'm in|count me in)!", "(I'll|I will) (bring|grab) (snacks|coffee|dessert)", "(be right there|omw|on my way)", "(save|grab) me a (slice|seat|spot) (pls|please)", "(can't|cannot) today, (next time|maybe tomorrow)", "(the|that) (ramen|taco|sushi) place (is|was) (great|amazing|so good)"],
    subjects: ["(Team lunch|Lunch) {day}", "(Free|Leftover) (food|cake) in the kitchen"],
    emailBodies: ["(Hi all|Hello everyone), (we are|we're) (having|hosting) a team lunch on {day} at {time} at {place}. (Please|Kindly) (reply|let me know) (by|before) {day} (if you can make it|with dietary needs).", "(Hi all|Hello everyone), there (is|are) (leftover cake|leftover sandwiches|cookies) from the {event} in the {floor} kitchen. (Help yourselves|Come grab some) (before|until) {time}."],
  },
  {
    // time off and schedules
    roots: [
      "(heads up|fyi), (I'm|i'm|I am) (out|OOO|on PTO) {day} (and|through) {day2}, {user} (is covering|covers) for me",
      "(I'll|I will) be (offline|out) (this afternoon|tomorrow morning) for a (doctor's appointment|school pickup|dentist visit)",
      "(back|I'm back) from (vacation|leave|parental leave)! (what did I miss|catching up on messages)",
    ],
    replies: ["(enjoy|have fun|have a great time)! {emoji}", "(welcome back|wb)!", "(thanks|thank you|ty) for the (heads up|note)", "(noted|got it|ok)", "(safe travels|rest up|feel better)!", "(I've got|I can cover) (it|your meetings)"],
    subjects: ["(Out of office|OOO|PTO) {day} - {day2}", "(Back from|Returning from) (vacation|leave)"],
    emailBodies: ["(Hi team|Hello all), (I will be|I'm) (out of office|on vacation) from {day} to {day2} with (limited|no) access to messages. {user} (is covering|will cover) for me while I'm away.", "(Hi team|Hello all), I'm back from (vacation|leave) (as of|from) {day}. (Thanks|Thank you) {user} for covering. (Please|Feel free to) (ping|message) me about anything (urgent|that needs my attention)."],
  },
  {
    // celebrations and kudos
    roots: [
      "(congrats|congratulations|huge congrats) to {user} on the (promotion|new role|launch|baby|wedding)! {emoji}",
      "(happy|Happy) (friday|Friday|birthday {user}|work anniversary {user})! {emoji}",
      "(shoutout|kudos|big thanks) to {user} for (helping|jumping in to help) (with|on) the customer (escalation|visit) {day}",
    ],
    replies: ["(congrats|congratulations|well deserved)! {emoji}", "(happy birthday|hbd)! {emoji}", "(so|very) (well deserved|deserved)!", "{emoji} {emoji}", "(amazing|awesome) news!", "(thank you|thanks) (all|everyone)! {emoji}"],
    subjects: ["(Please welcome|Welcome) our new (teammates|hires)", "(Congratulations|Kudos) to the (support|design) team"],
    emailBodies: ["(Please|Everyone, please) (welcome|join me in welcoming) our new (teammates|hires) who (start|started) {day}. (Say hi|Stop by) (in|at) the kitchen (and|or) (invite them to lunch|grab a coffee with them).", "(Hi all|Hello everyone), (congratulations|huge congratulations) to the (support|design) team for (the customer award|a record satisfaction score|the smooth launch) this (month|quarter). (Thank you|Thanks) for (all the hard work|going the extra mile)!"],
  },
  {
    // company news and launches
    roots: [
      "(reminder|friendly reminder): (all-hands|town hall|the retro) is {day} at {time}",
      "(we|design) (shipped|launched) the new (onboarding|settings|profile|help center) (screens|page|flow) (today|this morning)! (feedback|comments) welcome",
      "(customer|a customer) (wrote in|emailed) (to say|saying) (they love|they really like) {product}. (nice|great) (work|job) (everyone|team)!",
    ],
    replies: ["(looks|that looks) (great|amazing|really nice)!", "(nice|great|awesome) (work|job)! {emoji}", "(see you|see ya) (there|then)!", "(love|loving) the new (colors|design|copy)", "(will|I'll) (share it with|pass it on to) the team", "(thanks|thank you|ty) for the (reminder|update)"],
    subjects: ["(All-hands|Town hall) {day}: agenda", "(Launch|We launched): new {launch}", "(Office closed|Holiday hours) {day}"],
    emailBodies: [
      "(Hi all|Hello everyone), the (all-hands|town hall) is on {day} at {time}. (Agenda|We will cover): (product updates|the roadmap), (a customer story|customer stories) and (Q&A|questions). (Please|Kindly) (submit|send) questions (in advance|beforehand).",
      "(We|Today we) (launched|shipped) the new {launch}. (Thanks|Thank you) to everyone in design, engineering and support who (made it happen|helped). (Feedback|Comments) (welcome|are welcome) (in|on) {wiki}.",
      "(The|Our) office (is|will be) closed on {day} for the holiday. (Support|On-call) (rotation|schedule) (is|remains) unchanged. (Enjoy the long weekend|Have a great break|Enjoy the break)!",
    ],
  },
  {
    // life around the office
    roots: [
      "(does anyone|anyone) have a (good|favourite) (book|podcast|show) (recommendation|rec) for the (flight|weekend|holidays)?",
      "(the|our) (plants|office plants) (need|could use) water, (who|whose turn) (is it|this week)?",
      "(parking|the parking garage) (is|will be) closed {day} for (repairs|cleaning), (take|use) the (train|bus|street parking)",
      "(it's|its) (snowing|pouring|so sunny) (here|outside)! (anyone|who's) (working from home|coming in) {day}?",
    ],
    replies: ["(loved|really liked) (that one|it), (highly|def) recommend", "(my turn|I can do it) (this week|today)", "(thanks|ty) for the (heads up|tip)", "(+1|same|same here)", "(wfh|working from home) (today|tomorrow) {emoji}", "(added|adding) it to my (list|queue)"],
    subjects: ["(Book club|Lunch and learn) {day}", "(Parking|Garage) closed {day}"],
    emailBodies: ["(Hello all|Hi everyone), (the|our) (book club|lunch and learn) (meets|is on) {day} at {time}. (This month|This time) we (read|discuss) (a novel picked by the support team|a memoir about starting a bakery). (Snacks|Coffee) provided.", "(Hi all|Hello everyone), the parking garage (is|will be) closed on {day} for (repairs|cleaning). (Please|Kindly) (take|use) the (train|bus) or street parking (that day|instead); (bike racks|the bike room) (stay|remain) open."],
  },
];

/** Short follow-ups that lengthen a terse reply (people rarely stop at "+1"). */
export const DATA_TAILS: string[] = [
  "(will|I'll|ill) (dig in|look|take a look) (after|before) (standup|lunch|my 1:1|the sync)",
  "(also|and) (seeing|I see) it (in|on) {dash}",
  "{user} (fyi|for visibility|can you confirm|thoughts?)",
  "(is|was) this (on|for) {tbl} (too|as well)?",
  "(pinging|looping in) {user} (since|as) they own {model}",
  "(let's|lets) (track|log) it in (a ticket|{jira})",
  "(saw|we saw) (this|the same) (last month|in Q1|before the holidays) (too|as well)",
  "(finance|{team}) (is asking|asked) (about it|too)",
  "(need|we need) (it|this) for the (WBR|Monday review|month-end close)",
  "(not urgent|no rush) (but|though) (today would be nice|EOD would help)",
];

export const CHATTER_TAILS: string[] = [
  "see you {day}",
  "(thanks|thx) {user}",
  "(so|really) (excited|looking forward to it)",
  "(sounds good|works for me)",
  "(let me know|lmk) if you need (anything|help)",
  "(I'll|will) (be there|join) (at|around) {time}",
  "(what a|such a) (week|day)",
  "(hope|hoping) (the weather holds|it's not raining)",
  "(bringing|I'll bring) {user} (along|too)",
  "(can't wait|cannot wait)",
];

/** Replies that fit any plain-chatter thread. */
export const NEGATIVE_REPLIES: string[] = ["(+1|same|same here)", "(noted|got it|ok|okay)", "(thanks|thank you|ty)!", "{emoji}", "(nice|great|awesome)!", "(haha|lol) {emoji}"];

/** Replies that fit any data thread: acknowledgements, questions, mentions, nudges. */
export const GENERIC_REPLIES: string[] = [
  "(looking|taking a look|checking) (now|into it|)",
  "(on it|on this|got it)[, (will update|will report back|give me (10|30) min)]",
  "(+1|same here|seeing the same|same for me)[ on (my side|my end|our side)]",
  "(which|what) (dashboard|report|table) (exactly|are you looking at)?",
  "(since when|when did this start)?",
  "cc {user}",
  "{user} (can you|could you) (take a look|have a look|check)?",
  "(thanks|thx|ty|thank you)[ {emoji}| for flagging| for the quick fix]",
  "(any update|any news|updates)( on this|)?",
  "(bump|bumping this)",
  "(following|watching this|subscribing)",
  "(is|was) (this|that) (related|connected) to the (incident|deploy|release) {when}?",
  "(I'll|ill|I will) (add it to|put it on) the (agenda|standup) for (tomorrow|{day})",
  "{emoji}",
  "(nice|great) (find|catch)[, (thanks|thx)]",
];

export const EMOJIS = [':eyes:', ':pray:', ':thumbsup:', ':+1:', ':white_check_mark:', ':tada:', ':sweat_smile:', ':fire:', ':raised_hands:', ':100:', ':ok_hand:', ':coffee:'];
