
interface PersistenceManagerLike {
  db: { prepare(sql: string): { run(...values: unknown[]): unknown } };
}

let patched: Promise<void> | undefined;

/**
 * fauxqs 2.4 on disk: ChangeMessageVisibility to 0 writes NULL into the NOT NULL receive count, so the
 * request fails after the message was already made visible (and the SDK's retry then finds it gone).
 * Making a message visible again only needs its receipt handle and deadline cleared.
 */
export function fixFauxqsPersistence(): Promise<void> {
  patched ??= (async () => {
    // The package exports only its entry; the module beside it is the one the entry loads.
    const module = (await import(new URL('./persistence.js', import.meta.resolve('fauxqs')).href)) as { PersistenceManager?: { prototype: Record<string, unknown> } };
    const proto = module.PersistenceManager?.prototype;
    if (!proto || typeof proto.updateMessageReady !== 'function') return;
    proto.updateMessageReady = function (this: PersistenceManagerLike, messageId: string) {
      this.db.prepare('UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?').run(messageId);
    };
  })();
  return patched;
}
