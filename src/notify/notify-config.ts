import { isIP } from "node:net";
import { resolve } from "node:path";
import { VigilError } from "../errors.js";
import type { NotifySettings } from "../model/index.js";
import { MIN_WEBHOOK_SECRET_LENGTH } from "./webhook-signature.js";

/** Notification settings checked and with their secrets read from the environment. */
export interface NotifyConfig {
  smtp?: {
    url: string;
    /** From `smtpPasswordEnv`; never printed. */
    password?: string;
    from: string;
    /** `smtp://` to a host that is not loopback must upgrade with STARTTLS. */
    requireTls: boolean;
  };
  webhook?: {
    url: string;
    /** From `webhookSecretEnv`; never printed. */
    secret: string;
  };
  /** Base URL of the acknowledgement endpoint (`vigil notify serve`), without a trailing slash. */
  ackBaseUrl?: string;
  escalateAfterMs: number;
  /** Absolute folder of templates that replace the shipped ones. */
  templatesDir?: string;
}

/**
 * Checks `settings.notify` of vigil.yaml and reads its secrets from `env`. Returns
 * undefined when there are no settings. Plain-text transports are allowed to loopback
 * addresses only, so no credential or notice crosses a network unencrypted; a password
 * written into the SMTP URL is refused (vigil.yaml is often shared or committed).
 *
 * @param baseDir the folder of vigil.yaml, which `templates` is relative to.
 * @throws VigilError `VIGIL_ERR_NOTIFY_CONFIG` naming the setting that is wrong.
 */
export function notifyConfig(
  settings: NotifySettings | undefined,
  env: Readonly<Record<string, string | undefined>>,
  baseDir: string,
): NotifyConfig | undefined {
  if (settings === undefined) return undefined;
  const config: NotifyConfig = { escalateAfterMs: settings.escalateAfterMinutes * 60_000 };
  if (settings.smtpUrl !== undefined) {
    const url = parseUrl(settings.smtpUrl, "smtpUrl");
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
      fail(`smtpUrl must start with smtp:// or smtps://, not ${url.protocol}//`);
    }
    if (url.password !== "") {
      fail(
        "smtpUrl must not hold a password: name the environment variable that holds it in smtpPasswordEnv",
      );
    }
    if (settings.from === undefined) fail("from is needed with smtpUrl (the notices' sender)");
    let password: string | undefined;
    if (settings.smtpPasswordEnv !== undefined) {
      password = env[settings.smtpPasswordEnv];
      if (password === undefined || password === "") {
        fail(`the environment variable ${settings.smtpPasswordEnv} (smtpPasswordEnv) is not set`);
      }
    }
    config.smtp = {
      url: url.toString(),
      ...(password === undefined ? {} : { password }),
      from: settings.from,
      requireTls: url.protocol === "smtp:" && !isLoopbackHost(url.hostname),
    };
  }
  if (settings.webhookUrl !== undefined) {
    const url = parseUrl(settings.webhookUrl, "webhookUrl");
    if (
      !(url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname)))
    ) {
      fail("webhookUrl must be https:// (http:// only to a loopback address)");
    }
    const secret = env[settings.webhookSecretEnv];
    if (secret === undefined || secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
      fail(
        `the environment variable ${settings.webhookSecretEnv} (webhookSecretEnv) must hold the webhook secret, at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`,
      );
    }
    config.webhook = { url: url.toString(), secret };
  }
  if (settings.ackBaseUrl !== undefined) {
    const url = parseUrl(settings.ackBaseUrl, "ackBaseUrl");
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      fail("ackBaseUrl must be an http:// or https:// URL");
    }
    config.ackBaseUrl = url.toString().replace(/\/+$/, "");
  }
  if (settings.templates !== undefined) config.templatesDir = resolve(baseDir, settings.templates);
  return config;
}

/** Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return h === "::1";
}

function parseUrl(text: string, field: string): URL {
  try {
    return new URL(text);
  } catch {
    // Only the field is named: the text may hold a secret by mistake.
    return fail(`${field} is not a URL`);
  }
}

function fail(message: string): never {
  throw new VigilError("VIGIL_ERR_NOTIFY_CONFIG", `settings.notify: ${message}`);
}
