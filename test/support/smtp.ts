import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { transportMailer, type Mailer } from '../../src/notify/mailer.js';
import { freePort } from './free-port.js';

export interface ReceivedMail {
  /** The SMTP envelope's recipients. */
  rcptTo: string[];
  parsed: ParsedMail;
}

/** A real SMTP server in this process that keeps every message it accepts; it can be stopped and started again on its port. */
export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** Messages whose envelope names this address. */
  to(address: string): ReceivedMail[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A mailer sending to this server through nodemailer, from `from`. */
  mailer(from?: string): Mailer;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            received.push({ rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
  };
  const stop = async () => {
    const running = server;
    server = undefined;
    if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
  };
  await start();
  return {
    port,
    received,
    to: (address) => received.filter((mail) => mail.rcptTo.includes(address)),
    start,
    stop,
    mailer: (from = 'Recordkeeper <recordkeeper@localhost>') =>
      transportMailer(nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 2_000, greetingTimeout: 2_000, socketTimeout: 5_000 }), from),
  };
}
