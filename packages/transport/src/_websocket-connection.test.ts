import { describe, expect, it } from "vitest";
import { connectWebSocket, type SocketLike, statusFromHandshakeMessage } from "./_websocket-connection.ts";
import { TransportError } from "./transport-error.ts";

class FakeSocket extends EventTarget {
  protocol = "";
  readyState = 0;
  binaryType = "blob";
  sent: Array<string | Uint8Array> = [];
  closedWith: number | undefined;
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closedWith = code;
  }
  fire(type: string, fields: Record<string, unknown> = {}): void {
    this.dispatchEvent(Object.assign(new Event(type), fields));
  }
}

describe("connectWebSocket()", () => {
  it("finds the HTTP status of a refused upgrade in the runtimes' error texts", () => {
    expect(statusFromHandshakeMessage("NetworkError: failed to connect to WebSocket: Invalid status code: 403")).toBe(
      403,
    );
    expect(statusFromHandshakeMessage("Unexpected server response: 401")).toBe(401);
    expect(statusFromHandshakeMessage("Received network error or non-101 status code.")).toBeUndefined();
    expect(statusFromHandshakeMessage(undefined)).toBeUndefined();
  });

  it("delivers text and binary messages in order and ends the stream on a normal close", async () => {
    const socket = new FakeSocket();
    const pending = connectWebSocket(socket as unknown as SocketLike, {
      url: "wss://k.test/",
      handshakeError: () => new Error("x"),
    });
    socket.protocol = "v4.channel.k8s.io";
    socket.readyState = 1;
    socket.fire("open");
    const connection = await pending;
    expect(socket.binaryType).toBe("arraybuffer");
    expect(connection.protocol).toBe("v4.channel.k8s.io");
    socket.fire("message", { data: "hello" });
    socket.fire("message", { data: new Uint8Array([1, 2]).buffer });
    socket.fire("close", { code: 1000, reason: "bye" });
    const reader = connection.readable.getReader();
    expect((await reader.read()).value).toBe("hello");
    expect(Array.from((await reader.read()).value as Uint8Array)).toEqual([1, 2]);
    expect((await reader.read()).done).toBe(true);
    expect(await connection.closed).toEqual({ code: 1000, reason: "bye" });
  });

  it("delivers every queued message before the error of an abnormal close, pausing and resuming the socket", async () => {
    const socket = new FakeSocket();
    const flow: string[] = [];
    const pending = connectWebSocket(socket as unknown as SocketLike, {
      url: "wss://k.test/",
      handshakeError: () => new Error("x"),
      pause: () => void flow.push("pause"),
      resume: () => void flow.push("resume"),
    });
    socket.readyState = 1;
    socket.fire("open");
    const connection = await pending;
    for (let i = 1; i <= 20; i++) socket.fire("message", { data: `m${i}` });
    socket.fire("error", { error: new Error("ECONNRESET") });
    socket.fire("close", { code: 1006, reason: "" });
    expect(flow).toEqual(["pause"]);
    expect(await connection.closed).toEqual({ code: 1006, reason: "" });
    const reader = connection.readable.getReader();
    const received: unknown[] = [];
    for (let i = 1; i <= 20; i++) received.push((await reader.read()).value);
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i + 1}`));
    expect(flow).toEqual(["pause", "resume"]);
    const error = await reader.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe("websocket");
    expect((error as TransportError).message).toContain("closed abnormally (code 1006)");
    expect((error as TransportError).cause).toBeInstanceOf(Error);
  });

  it("an abort drops what was not read and errors the stream with the reason at once", async () => {
    const socket = new FakeSocket();
    const controller = new AbortController();
    const pending = connectWebSocket(socket as unknown as SocketLike, {
      url: "wss://k.test/",
      signal: controller.signal,
      handshakeError: () => new Error("x"),
    });
    socket.readyState = 1;
    socket.fire("open");
    const connection = await pending;
    const reader = connection.readable.getReader();
    socket.fire("message", { data: "first" });
    expect((await reader.read()).value).toBe("first");
    socket.fire("message", { data: "unread 1" });
    socket.fire("message", { data: "unread 2" });
    const reason = new Error("stop");
    controller.abort(reason);
    expect(
      await reader.read().then(
        () => undefined,
        (e: unknown) => e,
      ),
    ).toBe(reason);
    expect(socket.closedWith).toBe(1000);
  });

  it("rejects with the adapter's handshake error when the socket closes before opening", async () => {
    const socket = new FakeSocket();
    const refused = new Error("refused upgrade");
    const pending = connectWebSocket(socket as unknown as SocketLike, {
      url: "wss://k.test/",
      handshakeError: () => refused,
    });
    socket.fire("error", { message: "Invalid status code: 403" });
    socket.fire("close", { code: 1006, reason: "" });
    await expect(pending).rejects.toBe(refused);
  });

  it("refuses send() on a socket that is no longer open, with a TransportError", async () => {
    const socket = new FakeSocket();
    const pending = connectWebSocket(socket as unknown as SocketLike, {
      url: "wss://k.test/",
      handshakeError: () => new Error("x"),
    });
    socket.readyState = 1;
    socket.fire("open");
    const connection = await pending;
    connection.send("one");
    socket.readyState = 3;
    expect(() => connection.send("two")).toThrow(TransportError);
    expect(socket.sent).toEqual(["one"]);
  });
});
