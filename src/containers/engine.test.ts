import { describe, expect, it } from "vitest";
import { findEngine, locateEngine, normalizeArch } from "./engine.js";

const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);
const noFiles = () => Buffer.from("");

describe("locateEngine", () => {
  it("prefers DOCKER_HOST over every socket", () => {
    const found = locateEngine({ DOCKER_HOST: "unix:///tmp/other.sock" }, only("/var/run/docker.sock"));
    expect(found.where).toBe("unix:///tmp/other.sock");
    expect(found.options).toMatchObject({ socketPath: "/tmp/other.sock" });
  });

  it("then Docker's socket, then Podman's rootful socket, then the rootless one", () => {
    const env = { XDG_RUNTIME_DIR: "/run/user/1000" };
    const rootless = "/run/user/1000/podman/podman.sock";
    expect(locateEngine(env, only("/var/run/docker.sock", "/run/podman/podman.sock", rootless)).where).toBe(
      "unix:///var/run/docker.sock",
    );
    expect(locateEngine(env, only("/run/podman/podman.sock", rootless)).where).toBe(
      "unix:///run/podman/podman.sock",
    );
    expect(locateEngine(env, only(rootless)).where).toBe(`unix://${rootless}`);
  });

  it("with nothing to find, an input error naming every place tried and how to get an engine", () => {
    let error: (Error & { exitCode?: number }) | undefined;
    try {
      locateEngine({ XDG_RUNTIME_DIR: "/run/user/7" }, only());
    } catch (caught) {
      error = caught as Error & { exitCode?: number };
    }
    expect(error?.exitCode).toBe(3);
    for (const text of [
      "/var/run/docker.sock",
      "/run/podman/podman.sock",
      "/run/user/7/podman/podman.sock",
      "apt-get install podman runc",
      "podman system service --time=0 unix:///run/podman/podman.sock",
      "export DOCKER_HOST=unix:///run/podman/podman.sock",
    ]) {
      expect(error?.message).toContain(text);
    }
  });

  it("tcp:// is plain HTTP unless DOCKER_TLS_VERIFY asks for TLS with the certificates in DOCKER_CERT_PATH", () => {
    expect(locateEngine({ DOCKER_HOST: "tcp://10.0.0.5:2375" }, only()).options).toMatchObject({
      host: "10.0.0.5",
      port: 2375,
      protocol: "http",
    });
    const read: string[] = [];
    const tls = locateEngine(
      { DOCKER_HOST: "tcp://10.0.0.5", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/certs" },
      only(),
      (path) => {
        read.push(path);
        return Buffer.from(path);
      },
    );
    expect(tls.options).toMatchObject({ host: "10.0.0.5", port: 2376, protocol: "https" });
    expect(read).toEqual(["/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem"]);
    expect(() =>
      locateEngine(
        { DOCKER_HOST: "tcp://h:1", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/none" },
        only(),
        () => {
          throw new Error("ENOENT");
        },
      ),
    ).toThrow(/\/none\/ca\.pem/);
  });

  it("ssh://user@host uses dockerode's ssh protocol and the ssh agent", () => {
    const found = locateEngine(
      { DOCKER_HOST: "ssh://deploy@build.example:2222", SSH_AUTH_SOCK: "/tmp/agent" },
      only(),
    );
    expect(found.options).toMatchObject({
      protocol: "ssh",
      host: "build.example",
      port: 2222,
      username: "deploy",
      sshOptions: { agent: "/tmp/agent" },
    });
  });

  it("never shows credentials a DOCKER_HOST carries, and refuses what it cannot use", () => {
    const found = locateEngine({ DOCKER_HOST: "ssh://deploy:s3cretpass@build.example" }, only(), noFiles);
    expect(found.where).toBe("ssh://[REDACTED]@build.example");
    expect(findEngine({ DOCKER_HOST: "tcp://u:s3cretpass@127.0.0.1:9" }, only()).where).not.toContain(
      "s3cretpass",
    );
    expect(() => locateEngine({ DOCKER_HOST: "ftp://u:s3cretpass@host" }, only())).toThrow(
      /DOCKER_HOST=ftp:\/\/\[REDACTED\]@host: unsupported scheme/,
    );
    expect(() => locateEngine({ DOCKER_HOST: "unix://relative.sock" }, only())).toThrow(
      /absolute socket path/,
    );
  });

  it("names architectures as Go does", () => {
    expect(normalizeArch("x86_64")).toBe("amd64");
    expect(normalizeArch("aarch64")).toBe("arm64");
    expect(normalizeArch("arm64")).toBe("arm64");
  });
});
