/** The session pool: at most `max` sessions, FIFO waiting, failed sessions replaced, closing drains. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pkcs11PoolClosedError, Pkcs11SessionPool } from "../../src/keys/pkcs11/Pkcs11SessionPool.ts";

function pool(max: number, failOpen = () => false): { pool: Pkcs11SessionPool<number>; closed: number[] } {
  let next = 1;
  const closed: number[] = [];
  return {
    closed,
    pool: new Pkcs11SessionPool<number>({
      open: () => {
        if (failOpen()) throw new Error("CKR_SESSION_COUNT");
        return ++next;
      },
      close: (s) => closed.push(s),
      max,
      initial: 1,
    }),
  };
}

void describe("Pkcs11SessionPool", () => {
  void it("reuses idle sessions and opens new ones up to max", async () => {
    const { pool: p } = pool(2);
    const a = await p.acquire();
    assert.equal(a, 1);
    const b = await p.acquire();
    assert.equal(b, 2);
    assert.equal(p.size, 2);
    p.release(a);
    assert.equal(await p.acquire(), 1);
  });

  void it("makes callers wait in order when every session is busy", async () => {
    const { pool: p } = pool(1);
    const s = await p.acquire();
    const order: string[] = [];
    const first = p.acquire().then((x) => {
      order.push("first");
      return x;
    });
    const second = p.acquire().then((x) => {
      order.push("second");
      return x;
    });
    p.release(s);
    p.release(await first);
    await second;
    assert.deepEqual(order, ["first", "second"]);
    assert.equal(p.size, 1);
  });

  void it("replaces a discarded session for the next waiter", async () => {
    const { pool: p, closed } = pool(1);
    const s = await p.acquire();
    const waiting = p.acquire();
    p.discard(s);
    assert.deepEqual(closed, [1]);
    assert.equal(await waiting, 2);
    assert.equal(p.size, 1);
  });

  void it("reports open failures and keeps its count right", async () => {
    let fail = true;
    const { pool: p } = pool(2, () => fail);
    await p.acquire();
    await assert.rejects(p.acquire(), /CKR_SESSION_COUNT/);
    assert.equal(p.size, 1);
    fail = false;
    assert.equal(await p.acquire(), 2);
  });

  void it("closes idle sessions, rejects waiters and closes busy sessions when they come back", async () => {
    const { pool: p, closed } = pool(2);
    const a = await p.acquire();
    const b = await p.acquire();
    p.release(b);
    const c = await p.acquire();
    const waiting = p.acquire();
    p.close();
    await assert.rejects(waiting, Pkcs11PoolClosedError);
    await assert.rejects(p.acquire(), Pkcs11PoolClosedError);
    p.release(a);
    p.release(c);
    assert.deepEqual(closed.sort(), [1, 2]);
    assert.equal(p.size, 0);
  });

  void it("needs at least one session", () => {
    assert.throws(
      () => new Pkcs11SessionPool<number>({ open: () => 1, close: () => undefined, max: 0, initial: 1 }),
      RangeError,
    );
  });
});
