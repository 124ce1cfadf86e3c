import nodemailer, { type Transporter } from 'nodemailer';
import type { MailConfig } from '../config.js';

/** A file sent with a mail: its bytes as read and checked against the outbox row's digest. */
export interface MailAttachment {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** One mail of the outbox, ready to go. */
export interface OutgoingMail {
  /**
   * The outbox row's id (a digest: `digest.<smallest id of its rows>`): the Message-ID is made from it,
   * so a receiver can tell a repeat.
   */
  outboxId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: readonly MailAttachment[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** Nodemailer's codes for "the server could not be reached or talked to", as opposed to "it refused this mail". */
const CONNECTION_ERROR_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_ERROR_CODES.has(code);
}

function senderDomain(from: string): string {
  return /@([^>\s]+)/.exec(from)?.[1] ?? 'recordkeeper.invalid';
}

export function messageIdOf(outboxId: string, from: string): string {
  return `<${outboxId}@${senderDomain(from)}>`;
}

/** Sends through a nodemailer transport (tests give one to their own SMTP server). */
export function transportMailer(transport: Transporter, from: string): Mailer {
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: messageIdOf(mail.outboxId, from),
        attachments: mail.attachments?.map((file) => ({ filename: file.fileName, contentType: file.mediaType, content: file.content })),
      });
    },
  };
}

/** An SMTP server given by URL; short timeouts, so a server that hangs delays one batch, not the dispatcher. */
export function smtpMailer(url: string, from: string): Mailer {
  return transportMailer(nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }), from);
}

/** No SMTP server: each mail becomes one JSON line on stdout. */
export function loggingMailer(from: string, write: (line: string) => void = (line) => void process.stdout.write(line)): Mailer {
  return {
    async send(mail) {
      write(
        `${JSON.stringify({
          level: 'info',
          message: 'mail not sent (SMTP_URL unset)',
          messageId: messageIdOf(mail.outboxId, from),
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          attachments: mail.attachments?.map((file) => ({ fileName: file.fileName, mediaType: file.mediaType, sizeBytes: file.content.length })),
        })}\n`,
      );
    },
  };
}

/** The mailer the configuration asks for, and a line saying what it does, for the start-up log. */
export function createMailer(config: MailConfig): { mailer: Mailer; description: string } {
  if (!config.smtpUrl) return { mailer: loggingMailer(config.from), description: 'SMTP_URL unset: notification mails are logged to stdout, not sent' };
  const url = new URL(config.smtpUrl);
  return { mailer: smtpMailer(config.smtpUrl, config.from), description: `notification mails are sent through ${url.protocol}//${url.host}` };
}
