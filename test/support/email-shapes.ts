import { randomUUID } from 'node:crypto';

/**
 * Emails shaped like what real mail systems send, written here from RFC 5322, RFC 2045-2047, RFC 1468
 * (ISO-2022-JP) and the mbox format; the non-UTF-8 text is given as the bytes those charsets define.
 * Each carries a unique ASCII word in its body, so a search finds it and nothing else.
 */
export interface EmailShape {
  raw: Buffer;
  messageId: string;
  from: string | null;
  subject: string;
  word: string;
}

const hex = (value: string) => Buffer.from(value, 'hex');
const message = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
const id = () => `${randomUUID()}@mail.example.com`;
const word = () => `w${randomUUID().replaceAll('-', '').slice(0, 12)}`;

/** Japanese in ISO-2022-JP (7-bit, escape sequences): 取引の確認 subject, 山田 sender, 本日の取引を確認しました。 body. */
export function iso2022jp(): EmailShape {
  const messageId = id();
  const w = word();
  const raw = message(
    'From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>\r\n',
    'To: desk@bank.example.com\r\n',
    `Subject: =?ISO-2022-JP?B?GyRCPGgweiROM05HJxsoQg==?= ${w}\r\n`,
    'Date: Fri, 20 Nov 2026 19:00:00 +0900\r\n',
    `Message-ID: <${messageId}>\r\n`,
    'MIME-Version: 1.0\r\n',
    'Content-Type: text/plain; charset=ISO-2022-JP\r\n',
    'Content-Transfer-Encoding: 7bit\r\n',
    '\r\n',
    hex('1b24424b5c467c244e3c68307a2472334e47272437245e2437243f21231b2842'),
    ` ref ${w}\r\n`,
  );
  return { raw, messageId, from: 'yamada@example.jp', subject: `取引の確認 ${w}`, word: w };
}

/** Japanese in Shift_JIS, body base64: 注文書 subject, ご注文を承りました。 body. */
export function shiftJis(): EmailShape {
  const messageId = id();
  const w = word();
  const body = Buffer.concat([hex('82b2928d95b682f08fb382e882dc82b582bd8142'), Buffer.from(` ref ${w}\r\n`)]);
  const raw = message(
    'From: sales@example.co.jp\r\n',
    'To: desk@bank.example.com\r\n',
    `Subject: =?Shift_JIS?B?ko2Vto+R?= ${w}\r\n`,
    'Date: Fri, 20 Nov 2026 19:00:00 +0900\r\n',
    `Message-ID: <${messageId}>\r\n`,
    'MIME-Version: 1.0\r\n',
    'Content-Type: text/plain; charset=Shift_JIS\r\n',
    'Content-Transfer-Encoding: base64\r\n',
    '\r\n',
    `${body.toString('base64')}\r\n`,
  );
  return { raw, messageId, from: 'sales@example.co.jp', subject: `注文書 ${w}`, word: w };
}

/** Korean in EUC-KR, body 8bit: 거래 확인 subject (quoted-printable encoded word), 주문이 체결되었습니다. body. */
export function eucKr(): EmailShape {
  const messageId = id();
  const w = word();
  const raw = message(
    'From: "Kim" <kim@example.kr>\r\n',
    'To: desk@bank.example.com\r\n',
    `Subject: =?EUC-KR?Q?=B0=C5=B7=A1_=C8=AE=C0=CE?= ${w}\r\n`,
    'Date: Fri, 20 Nov 2026 19:00:00 +0900\r\n',
    `Message-ID: <${messageId}>\r\n`,
    'MIME-Version: 1.0\r\n',
    'Content-Type: text/plain; charset=EUC-KR\r\n',
    'Content-Transfer-Encoding: 8bit\r\n',
    '\r\n',
    hex('c1d6b9aec0cc20c3bcb0e1b5c7befabdc0b4cfb4d92e'),
    ` ref ${w}\r\n`,
  );
  return { raw, messageId, from: 'kim@example.kr', subject: `거래 확인 ${w}`, word: w };
}

/** One message of an mbox export: the `From ` separator line first, LF-only line ends throughout. */
export function mboxLf(): EmailShape {
  const messageId = id();
  const w = word();
  const raw = message(
    `From archive@example.com Fri Nov 20 10:00:00 2026\n`,
    'From: Archive <archive@example.com>\n',
    'To: desk@bank.example.com\n',
    `Subject: Exported ${w}\n`,
    'Date: Fri, 20 Nov 2026 10:00:00 +0000\n',
    `Message-ID: <${messageId}>\n`,
    '\n',
    `Exported from a mailbox, ${w}.\n`,
  );
  return { raw, messageId, from: 'archive@example.com', subject: `Exported ${w}`, word: w };
}

const plain = (headers: string[], body: string) => Buffer.from([...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'));

/** A Date header that is no date. */
export function malformedDate(): EmailShape {
  const messageId = id();
  const w = word();
  const raw = plain([`From: sender@example.com`, 'To: desk@bank.example.com', `Subject: Odd date ${w}`, 'Date: sometime next week, 32 Foo 2026 25:61', `Message-ID: <${messageId}>`], `Body ${w}`);
  return { raw, messageId, from: 'sender@example.com', subject: `Odd date ${w}`, word: w };
}

/** A malformed header line (no colon) before From:, as some gateways write. */
export function malformedHeaderLine(): EmailShape {
  const messageId = id();
  const w = word();
  const raw = plain(
    ['Received: from gateway.example.com by mx.bank.example.com', 'X-Gateway-Note this line lost its colon', `From: "Gateway User" <user@example.com>`, 'To: desk@bank.example.com', `Subject: Via gateway ${w}`, 'Date: Fri, 20 Nov 2026 10:00:00 +0000', `Message-ID: <${messageId}>`],
    `Forwarded ${w}`,
  );
  return { raw, messageId, from: 'user@example.com', subject: `Via gateway ${w}`, word: w };
}

/** No From header at all. */
export function withoutSender(): EmailShape {
  const messageId = id();
  const w = word();
  const raw = plain(['To: desk@bank.example.com', `Subject: Nobody ${w}`, 'Date: Fri, 20 Nov 2026 10:00:00 +0000', `Message-ID: <${messageId}>`], `Unsigned ${w}`);
  return { raw, messageId, from: null, subject: `Nobody ${w}`, word: w };
}

/** HTML as the only body, beside an attachment (mailparser converts only a message whose root is HTML). */
export function htmlOnly(): EmailShape {
  const messageId = id();
  const w = word();
  const boundary = `b-${randomUUID()}`;
  const raw = Buffer.from(
    [
      'From: newsletter@example.com',
      'To: desk@bank.example.com',
      `Subject: Rates ${w}`,
      'Date: Fri, 20 Nov 2026 10:00:00 +0000',
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      `<html><head><style>p{color:red}</style></head><body><p>Today&#39;s <b>rates</b> ${w}</p><table><tr><td>EUR</td><td>1.08</td></tr></table></body></html>`,
      `--${boundary}`,
      'Content-Type: application/pdf; name="rates.pdf"',
      'Content-Disposition: attachment; filename="rates.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.7 rates').toString('base64'),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
  return { raw, messageId, from: 'newsletter@example.com', subject: `Rates ${w}`, word: w };
}

/** A forwarded message attached whole (message/rfc822), with its own headers and body. */
export function nestedRfc822(): EmailShape & { innerSubject: string } {
  const messageId = id();
  const w = word();
  const boundary = `b-${randomUUID()}`;
  const innerSubject = `Original order ${w}`;
  const raw = Buffer.from(
    [
      'From: forwarder@example.com',
      'To: compliance@bank.example.com',
      `Subject: Fwd: ${innerSubject}`,
      'Date: Fri, 20 Nov 2026 11:00:00 +0000',
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `See the attached message ${w}.`,
      `--${boundary}`,
      'Content-Type: message/rfc822; name="original.eml"',
      'Content-Disposition: attachment; filename="original.eml"',
      '',
      'From: client@example.org',
      'To: trader@bank.example.com',
      `Subject: ${innerSubject}`,
      'Date: Fri, 20 Nov 2026 09:00:00 +0000',
      `Message-ID: <${id()}>`,
      '',
      'Please buy 10 Bund futures.',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
  return { raw, messageId, from: 'forwarder@example.com', subject: `Fwd: ${innerSubject}`, word: w, innerSubject };
}

/** Two different messages with one Message-ID (a resend with another body, a buggy client). */
export function sharingMessageId(): [EmailShape, EmailShape] {
  const messageId = id();
  const make = (label: string): EmailShape => {
    const w = word();
    const raw = plain(['From: desk@bank.example.com', 'To: client@example.org', `Subject: ${label} ${w}`, 'Date: Fri, 20 Nov 2026 10:00:00 +0000', `Message-ID: <${messageId}>`], `${label} ${w}`);
    return { raw, messageId, from: 'desk@bank.example.com', subject: `${label} ${w}`, word: w };
  };
  return [make('Quote'), make('Corrected quote')];
}
