/**
 * @module Sealing what a step job carries through Redis: the parameters and secret inputs a coordinator sends to a
 * worker, and the result the worker sends back. BullMQ keeps job data and return values in Redis, in clear, for as long
 * as finished jobs are kept; with a payload key shared by the coordinator and its workers (`WEAVE_PAYLOAD_KEY`, or
 * `payloadKey` of `BullmqInvoker` and `StepWorker`), they are kept encrypted instead.
 *
 * A sealed payload is `v1.<iv>.<tag>.<ciphertext>` (each part base64url): AES-256-GCM of the value's JSON, with a fresh
 * 12-byte IV, and the job's id as additional authenticated data, so a payload copied to another job does not open.
 * The 32-byte key is derived from the passphrase with scrypt (salt `toolweave-payload-v1`), once per process.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";

/** The environment variable the CLI (`weave run --redis`, `weave resume --redis`, `weave worker`) reads the passphrase from. */
export const PAYLOAD_KEY_ENV = "WEAVE_PAYLOAD_KEY";

const VERSION = "v1";
const SALT = "toolweave-payload-v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART = /^[A-Za-z0-9_-]*$/;

/** A sealed payload that cannot be opened: malformed, or its key, its job or its bytes are not those it was sealed with. */
export class PayloadOpenError extends Error {
  override readonly name = "PayloadOpenError";
  /** Retrying cannot help: the same bytes never open with the same key. */
  readonly nonRetryable = true;

  constructor(
    message: string,
    /** `authentication`: another key, another job, or altered bytes (AES-GCM cannot tell which); else not a payload of this version. */
    readonly reason: "malformed" | "version" | "authentication",
  ) {
    super(message);
  }
}

/** Derived keys by passphrase: scrypt runs once per passphrase and process (it is slow on purpose). */
const derived = new Map<string, Buffer>();

function deriveKey(passphrase: string): Buffer {
  let key = derived.get(passphrase);
  if (!key) {
    key = scryptSync(passphrase, SALT, 32);
    derived.set(passphrase, key);
  }
  return key;
}

/** Seals and opens JSON values with the key derived from a passphrase. */
export class PayloadSeal {
  readonly #key: Buffer;

  /** @param passphrase shared by the coordinator and its workers; must not be empty */
  constructor(passphrase: string) {
    if (typeof passphrase !== "string" || passphrase === "") throw new TypeError("a payload key must be a non-empty string");
    this.#key = deriveKey(passphrase);
  }

  /** `v1.<iv>.<tag>.<ciphertext>`: the JSON of `value`, encrypted and bound to `jobId`. Throws what JSON.stringify throws. */
  seal(value: unknown, jobId: string): string {
    const json = JSON.stringify(value) ?? "null";
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(jobId, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
    return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
  }

  /**
   * The value sealed by {@link seal} for the same `jobId`.
   * @throws PayloadOpenError when it is malformed, of another version, or does not authenticate (another key, another
   *   job, altered bytes)
   */
  open(sealed: string, jobId: string): unknown {
    const parts = typeof sealed === "string" ? sealed.split(".") : [];
    if (parts.length !== 4 || !parts.every((p) => PART.test(p))) {
      throw new PayloadOpenError(`the sealed payload is malformed: expected ${VERSION}.<iv>.<tag>.<ciphertext> in base64url`, "malformed");
    }
    const [version, ivText, tagText, dataText] = parts as [string, string, string, string];
    if (version !== VERSION) {
      throw new PayloadOpenError(
        `the payload is sealed in format "${version.slice(0, 20)}", which this toolweave cannot read (it reads ${VERSION}): use the same toolweave version on the coordinator and the workers`,
        "version",
      );
    }
    const iv = Buffer.from(ivText, "base64url");
    const tag = Buffer.from(tagText, "base64url");
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new PayloadOpenError(`the sealed payload is malformed: its IV or authentication tag has the wrong length`, "malformed");
    let json: string;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(jobId, "utf8"));
      decipher.setAuthTag(tag);
      json = Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new PayloadOpenError(
        `the sealed payload does not authenticate: it was sealed with another key, or for another job, or its bytes were altered`,
        "authentication",
      );
    }
    try {
      return JSON.parse(json) as unknown;
    } catch {
      // authenticated, so only a sealer that wrote something else could cause this
      throw new PayloadOpenError("the sealed payload opened, but holds no JSON", "malformed");
    }
  }
}
