import { describe, expect, it } from 'vitest';
import { cleanMessageText, featureText, slackToWords, stripEmailQuoting, quotedHistory } from './text.js';

describe('slackToWords', () => {
  it.each([
    ['seeing _duplicate_ rows in orders, can we _dedupe_?', 'seeing duplicate rows in orders, can we dedupe?'],
    ['seeing *duplicate* rows', 'seeing duplicate rows'],
    ['seeing ~duplicate~ rows', 'seeing duplicate rows'],
    ['is `fact_order_item` late?', 'is fact_order_item late?'],
    ['the _dbt_loaded_at col and fact_order_item stay', 'the _dbt_loaded_at col and fact_order_item stay'],
    ['_fact_order_item_ is late', 'fact_order_item is late'],
  ])('%s', (input, want) => {
    expect(slackToWords(input)).toBe(want);
  });

  it('drops mentions and emoji, keeps channel names and link labels with the kind of link', () => {
    const out = slackToWords('<@U024BE7LH> can you check <#C0123|data-eng>? :eyes: see <https://looker.example.com/looks/12|this look> and <https://dbt.example/x>');
    expect(out.replace(/\s+/g, ' ').trim()).toBe('can you check data-eng ? see this look datatoollink and datatoollink');
  });

  it('unwraps code blocks and keeps their SQL', () => {
    expect(slackToWords('query:\n```select count(*) from dim_user```').replace(/\s+/g, ' ').trim()).toBe('query: select count(*) from dim_user');
  });

  it('decodes the entities Slack escapes', () => {
    expect(slackToWords('P&amp;L &lt; plan')).toBe('P&L < plan');
  });
});

describe('stripEmailQuoting', () => {
  it('removes an "On … wrote:" reply and everything after it', () => {
    const body = 'Yes, the invoice table is missing March.\n\nOn Tue, 3 Jun 2025 at 09:12, Ana Example <ana@example.com> wrote:\n> Can we join the call at 3?\n> Thanks';
    expect(stripEmailQuoting(body)).toBe('Yes, the invoice table is missing March.');
  });

  it('keeps the answer of a bottom-posted reply (header, > quote, then the answer) and drops the quote', () => {
    const body = 'Subject: Re: review\n\nOn Tue, 24 Nov 2026, Li <li@example.com> wrote:\n> Is the pull broken again?\n> Need it by 11.\n\nYes, the installs job has failed since Saturday.\n\nBest,\nAdi';
    expect(stripEmailQuoting(body).replace(/\n+/g, '\n')).toBe('Subject: Re: review\nYes, the installs job has failed since Saturday.');
    expect(quotedHistory(body)).toBe('Is the pull broken again?\nNeed it by 11.');
  });

  it('gives the quoted history of a top-posted reply, without > marks', () => {
    const body = 'Thanks, works now!\n\nOn Tue, 24 Nov 2026 at 15:02, Sanjay <s@example.com> wrote:\n> Approved.\n>\n>> Could I get read access to the orders schema?';
    expect(quotedHistory(body)).toContain('Could I get read access to the orders schema?');
    expect(quotedHistory(body)).not.toContain('>');
    expect(quotedHistory('No quote here.')).toBe('');
  });

  it('removes "> " quoted lines interleaved with the answer', () => {
    expect(stripEmailQuoting('> duplicate invite for Friday?\nNo, the rows are duplicated in fact_orders.')).toBe('No, the rows are duplicated in fact_orders.');
  });

  it('removes Outlook "-----Original Message-----" blocks', () => {
    expect(stripEmailQuoting('Approved.\n-----Original Message-----\nFrom: Bo\nSent: Monday\nSubject: access badge')).toBe('Approved.');
  });

  it('keeps a forwarded body but drops the forwarded header lines', () => {
    const out = stripEmailQuoting('Subject: Fwd: churn\nsee below\n---------- Forwarded message ---------\nFrom: CS Lead <cs@example.com>\nDate: Mon, 2 Jun 2025\nSubject: churn\nTo: me\n\nCS says churn is 2%, finance says 5%.');
    expect(out.replace(/\n+/g, '\n')).toBe('Subject: Fwd: churn\nsee below\nCS says churn is 2%, finance says 5%.');
  });

  it('removes a "-- " signature and a sign-off block with name and title', () => {
    expect(stripEmailQuoting('The feed is 2 days late.\n-- \nAna Example\nData Eng')).toBe('The feed is 2 days late.');
    expect(stripEmailQuoting('The feed is 2 days late.\n\nThanks,\nAna Example\nHead of Data | Example Co\n+1 555 0100')).toBe('The feed is 2 days late.');
    expect(stripEmailQuoting('The feed is late.\nSent from my iPhone')).toBe('The feed is late.');
  });

  describe('cuts the quoted earlier message in the reply formats mail clients write', () => {
    const quoted = 'We see duplicate rows in fact_orders.';
    it.each([
      ['Outlook From/Sent block', `From: Bo Chen <bo@example.com>\nSent: Monday, 2 June 2025 09:12\nTo: Data Team\nSubject: RE: rows\n\n${quoted}`],
      ['Outlook HTML-to-text bold header', `*From:* Bo Chen <bo@example.com>\n*Sent:* Monday, 2 June 2025 09:12\n*To:* Data Team\n\n${quoted}`],
      ['new Outlook / Apple From/Date block', `From: Bo Chen <bo@example.com>\nDate: Monday, 2 June 2025 at 09:12\nTo: Data Team <data@example.com>\nSubject: Re: rows\n\n${quoted}`],
      ['Outlook underscore rule', `________________________________\nFrom: Bo Chen\nSent: Monday\n\n${quoted}`],
      ['-----Original Message-----', `-----Original Message-----\nFrom: Bo\nSent: Monday\n\n${quoted}`],
      ['Gmail header wrapped onto two lines', `On Mon, Jun 2, 2025 at 9:12 AM Bo Chen <bo@example.com>\nwrote:\n\n> ${quoted}`],
      ['Gmail header without > marks below', `On Mon, Jun 2, 2025 at 9:12 AM Bo Chen <bo@example.com> wrote:\n${quoted}`],
      ['French Gmail header', `Le lun. 2 juin 2025 à 09:12, Bo Chen <bo@example.com> a écrit :\n> ${quoted}`],
      ['German Gmail header', `Am Mo., 2. Juni 2025 um 09:12 Uhr schrieb Bo Chen <bo@example.com>:\n> ${quoted}`],
    ])('%s', (_name, tail) => {
      expect(stripEmailQuoting(`Approved, go ahead.\n\n${tail}`)).toBe('Approved, go ahead.');
    });
  });

  describe('drops signatures, mobile footers and legal disclaimers', () => {
    it.each([
      'Sent from my iPhone',
      'Sent from Yahoo Mail on Android',
      'Sent from Outlook for Android',
      'Sent from Mail for Windows',
      'Get Outlook for iOS',
      'Thanks, Maya',
      'Best -- Tom',
      'Thanks in advance,\nMaya Chen\nFinance Director',
      'Kind regards,\nMaya Chen\nFinance Director | Example Holdings\nm: +1 555 0100\nt: +1 555 0101\nexample.com\n123 Harbour Road, Lisbon',
      '\u2014\nMaya Chen | Finance',
      'Regards,\nMaya\n\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and may contain personal data. If you are not the intended recipient, please delete it.',
      'This email and any files transmitted with it are confidential and intended solely for the use of the individual to whom they are addressed.',
    ])('%s', (tail) => {
      expect(stripEmailQuoting(`Approved, go ahead.\n\n${tail}`)).toBe('Approved, go ahead.');
    });
  });

  it('keeps a forwarded body under a forward subject, with or without a dashed mark', () => {
    const fw = 'Subject: FW: Apple proceeds\n\nForwarded message\nFrom: Hannah <h@example.com>\nTo: Dana\nSubject: proceeds\n\nThe price table has no mapping for the new tiers.';
    expect(stripEmailQuoting(fw)).toContain('no mapping for the new tiers');
    const outlookFw = 'Subject: FW: extract\n\nFrom: Integration <i@example.com>\nSent: Wednesday\nSubject: extract\n\n31,000 encounters have no member id.';
    expect(stripEmailQuoting(outlookFw)).toContain('no member id');
  });

  it('keeps a sign-off word that starts a sentence of the message', () => {
    expect(stripEmailQuoting('Approved.\nThanks for the fix, but the join still drops rows since Monday')).toContain('join still drops rows');
    expect(stripEmailQuoting('Approved.\nBest to check the orders table first')).toContain('orders table');
  });

  it('keeps a "thanks" that is part of the message', () => {
    expect(stripEmailQuoting('Thanks for fixing the dashboard yesterday, but the join still drops rows in orders and payouts since the migration.')).toContain('join still drops rows');
  });
});

describe('featureText', () => {
  it('reads italic, bold, strike and plain the same', () => {
    const plain = featureText('seeing duplicate rows, can we dedupe?');
    for (const v of ['seeing _duplicate_ rows, can we _dedupe_?', 'seeing *duplicate* rows, can we *dedupe*?', 'seeing ~duplicate~ rows, can we ~dedupe~?']) expect(featureText(v)).toBe(plain);
  });

  it('restores dropped apostrophes and lower-cases', () => {
    expect(featureText('It ISNT fresh')).toBe("it isn't fresh");
  });

  it('cleans quoting before mrkdwn', () => {
    expect(cleanMessageText('*fixed* now\n> old quoted text')).toBe('fixed now');
  });
});

describe('slackToWords leaves SQL and arithmetic alone', () => {
  it.each(['select count(*) from orders having count(*) > 1', 'a * b * c', 'x ~ y ~ z', 'where a_b = _c_d'])('%s', (s) => {
    expect(slackToWords(s)).toBe(s);
  });
});

const words = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('slackToWords: pasted links become their label and the kind of place they point to', () => {
  it.each([
    ['Looker with a query string', 'the tile https://company.looker.com/dashboards/412?Region=EMEA&Date%20Range=last%2030%20days is off', 'the tile datatoollink is off'],
    ['Google Sheet, sentence full stop kept', 'numbers are in https://docs.google.com/spreadsheets/d/1AbC_dEfGh-IjK/edit#gid=0.', 'numbers are in sheetlink .'],
    ['Google Doc', 'spec: https://docs.google.com/document/d/1xYz/edit', 'spec: doclink'],
    ['intranet wiki over http, in brackets', 'see the definition (http://wiki.corp.local/display/DATA/Revenue+Definitions)', 'see the definition ( doclink )'],
    ['Metabase in an e-mail, label glued to <url>', 'Dashboard<https://metabase.acme.io/dashboard/88?tab=3> is empty', 'Dashboard datatoollink is empty'],
    ['Tableau', 'https://tableau.acme.com/#/views/Sales/Weekly?:iid=1 is blank', 'datatoollink is blank'],
    ['Mode', 'https://app.mode.com/acme/reports/4f1a2b/runs/9c', 'datatoollink'],
    ['dbt docs', 'lineage at https://acme.getdbt.com/#!/model/model.analytics.fct_orders', 'lineage at datatoollink'],
    ['self-hosted dbt docs, name hyphenated in the host', 'https://dbt-docs.acme.io/#!/model/model.analytics.fct_orders', 'datatoollink'],
    ['Azure Databricks notebook', 'https://adb-1234.5.azuredatabricks.net/?o=1234#notebook/77/command/88', 'datatoollink'],
    ['Google Analytics', 'https://analytics.google.com/analytics/web/#/p31234/reports/explorer?params=_u..nav%3Dmaui', 'datatoollink'],
    ['GitHub pull request', 'fix in https://github.com/acme/dbt/pull/77/files#diff-1', 'fix in codelink'],
    ['Jira ticket', 'filed https://acme.atlassian.net/browse/DATA-1234', 'filed ticketlink'],
    ['Confluence page', 'https://acme.atlassian.net/wiki/spaces/DATA/pages/123/Churn', 'doclink'],
    ['Notion', 'PRD: https://www.notion.so/acme/Checkout-PRD-8f3e2c', 'PRD: doclink'],
    ['Grafana', 'lag graph https://grafana.acme.net/d/abc/ingest?orgId=1&from=now-6h', 'lag graph datatoollink'],
    ['Datadog', 'https://app.datadoghq.com/monitors/123456', 'datatoollink'],
    ['S3 path', 'the file landed at s3://acme-raw/events/2026/12/01/part-0001.parquet yesterday', 'the file landed at datatoollink yesterday'],
    ['scheme-less Looker host with a path', 'company.looker.com/explore/orders/orders?fields=orders.id', 'datatoollink'],
    ['a meeting link is just a web link', 'join https://acme.zoom.us/j/12345?pwd=abc', 'join weblink'],
    ['Slack <url|label> keeps the label', 'see <https://acme.looker.com/looks/991|the churn look>', 'see the churn look datatoollink'],
    ['Markdown link keeps the label', 'see [the runbook](https://wiki.acme.io/data/runbook)', 'see the runbook doclink'],
    ['mailto keeps only the label', 'write to <mailto:data@acme.com|data@acme.com>', 'write to data@acme.com'],
  ])('%s', (_name, input, want) => {
    expect(words(slackToWords(input))).toBe(want);
  });

  it('leaves identifiers, schema.table names, file names and e-mail addresses alone', () => {
    const s = 'fact_orders and analytics.fct_payments, raw.stripe_charges.amount, orders.csv and ana@acme.com';
    expect(slackToWords(s)).toBe(s);
  });
});

describe('slackToWords: emoji codes', () => {
  it.each([
    ['adjacent codes', ':eyes::eyes: anyone?', 'anyone?'],
    ['glued to a word', 'done:tada: thanks', 'done thanks'],
    ['skin tone', 'ok :+1::skin-tone-3:', 'ok'],
    ['line start and end', ':white_check_mark: fixed\nfixed :white_check_mark:', 'fixed fixed'],
    ['in brackets', 'rerun done (:white_check_mark:)', 'rerun done ( )'],
    ['digits-only names Slack has', 'nice :100: :-1:', 'nice'],
    ['one-letter name', 'still broken :x:', 'still broken'],
  ])('%s', (_name, input, want) => {
    expect(words(slackToWords(input))).toBe(want);
  });

  it.each([
    'standup at 10:30 or 09:00:00, not 10:30am: ok',
    'select amount::numeric::text from payments',
    'cast(x as int)::text',
    'df[1:n:2] and a[:n:] and s[::2]',
    'key is db:schema:table',
    'redis user:123:profile',
  ])('keeps %s', (s) => {
    expect(slackToWords(s)).toBe(s);
  });
});

describe('stripEmailQuoting: Outlook header blocks in other languages', () => {
  const quoted = 'Hay filas duplicadas en fact_orders.';
  it.each([
    ['Spanish', `De: Ana Gómez <ana@example.es>\nEnviado el: lunes, 2 de junio de 2025 9:12\nPara: Equipo de datos\nAsunto: RE: filas\n\n${quoted}`],
    ['Portuguese (Brazil)', `De: Ana <ana@example.com.br>\nEnviado em: segunda-feira, 2 de junho de 2025 09:12\nPara: Dados\nAssunto: RE: linhas\n\n${quoted}`],
    ['Portuguese (Portugal)', `De: Ana <ana@example.pt>\nEnviada: 2 de junho de 2025 09:12\nPara: Dados\nAssunto: RE: linhas\n\n${quoted}`],
    ['German', `Von: Bo Chen <bo@example.de>\nGesendet: Montag, 2. Juni 2025 09:12\nAn: Data Team\nCc: Ana\nBetreff: AW: Zeilen\n\n${quoted}`],
    ['Dutch', `Van: Bo <bo@example.nl>\nVerzonden: maandag 2 juni 2025 09:12\nAan: Data Team\nOnderwerp: RE: rijen\n\n${quoted}`],
    ['French (space before the colon)', `De : Bo <bo@example.fr>\nEnvoyé : lundi 2 juin 2025 09:12\nÀ : Data Team\nObjet : RE: lignes\n\n${quoted}`],
    ['French with no-break spaces', `De\u00a0: Bo <bo@example.fr>\nEnvoyé\u00a0: lundi 2 juin 2025 09:12\nÀ\u00a0: Data Team\n\n${quoted}`],
    ['Italian', `Da: Bo <bo@example.it>\nInviato: lunedì 2 giugno 2025 09:12\nA: Data Team\nOggetto: R: righe\n\n${quoted}`],
    ['Danish/Norwegian', `Fra: Bo <bo@example.no>\nSendt: mandag 2. juni 2025 09:12\nTil: Data Team\nEmne: SV: rader\n\n${quoted}`],
    ['Swedish', `Från: Bo <bo@example.se>\nSkickat: den 2 juni 2025 09:12\nTill: Data Team\nÄmne: SV: rader\n\n${quoted}`],
    ['bold HTML-to-text German', `*Von:* Bo Chen <bo@example.de>\n*Gesendet:* Montag, 2. Juni 2025 09:12\n*An:* Data Team\n\n${quoted}`],
    ['German Original Message rule', `-----Ursprüngliche Nachricht-----\nVon: Bo\nGesendet: Montag\n\n${quoted}`],
    ['Spanish Original Message rule', `-----Mensaje original-----\nDe: Bo\nEnviado el: lunes\n\n${quoted}`],
    ['French Original Message rule', `-----Message d'origine-----\nDe : Bo\nEnvoyé : lundi\n\n${quoted}`],
    ['Dutch Original Message rule', `-----Oorspronkelijk bericht-----\nVan: Bo\nVerzonden: maandag\n\n${quoted}`],
    ['Italian Original Message rule', `-----Messaggio originale-----\nDa: Bo\nInviato: lunedì\n\n${quoted}`],
  ])('%s: everything from the block on is quoted history', (_name, tail) => {
    const mail = `Approved, go ahead.\n\n${tail}`;
    expect(stripEmailQuoting(mail)).toBe('Approved, go ahead.');
    expect(quotedHistory(mail)).toContain(quoted);
  });

  it.each([
    ['German', '---------- Weitergeleitete Nachricht ---------\nVon: CS <cs@example.de>\nDatum: Mo., 2. Juni 2025\nBetreff: churn\nAn: mich'],
    ['Spanish', '---------- Mensaje reenviado ---------\nDe: CS <cs@example.es>\nDate: lun, 2 jun 2025\nSubject: churn\nTo: yo'],
    ['French (Thunderbird, subject first)', '-------- Message transféré --------\nSujet : churn\nDate : Mon, 2 Jun 2025\nDe : CS <cs@example.fr>\nPour : moi'],
    ['Dutch', '---------- Doorgestuurd bericht ---------\nVan: CS <cs@example.nl>\nDate: ma 2 jun 2025\nOnderwerp: churn\nAan: mij'],
    ['Outlook Spanish forward without a mark (RV: subject)', 'De: CS <cs@example.es>\nEnviado el: lunes\nPara: yo\nAsunto: churn'],
  ])('%s forward: the body stays, only the header lines go', (name, header) => {
    const subject = name.includes('RV:') ? 'Subject: RV: churn' : 'Subject: Fwd: churn';
    const out = stripEmailQuoting(`${subject}\nsee below\n\n${header}\n\nCS says churn is 2%, finance says 5%.`);
    expect(out.replace(/\n+/g, '\n')).toBe(`${subject}\nsee below\nCS says churn is 2%, finance says 5%.`);
  });

  it('keeps lines that only start with a word another language uses as a header key', () => {
    const body = 'Data: the orders table\nA: yes it is late\nPara: nothing to add\nDe: nada';
    expect(stripEmailQuoting(body)).toBe(body);
  });
});
