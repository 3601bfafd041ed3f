import { describe, expect, it } from "vitest";
import { targetOf, draftOf } from "./connect";
import {
  commandProblem,
  containerProblem,
  destinationProblem,
  draftProblems,
  emptyDraft,
  folderProblem,
  parseSshOptions,
  placeLabel,
  sshOptionsText,
} from "./validate";

describe("SSH destinations", () => {
  it("takes user@host, an alias, an address and ssh:// with a port", () => {
    for (const ok of ["dev@build-box", "build-box", "my_alias", "dev@10.0.0.7", "ssh://dev@box:2222", "ssh://box", "ssh://dev@[::1]:22", "dev@[::1]", "d.o-e@host.example.com"]) {
      expect(destinationProblem(ok), ok).toBeNull();
    }
  });

  it("refuses what ssh would read as an option, spaces, bare colons and bad ports", () => {
    expect(destinationProblem("")).toMatch(/Type the host/);
    expect(destinationProblem("-oProxyCommand=touch /tmp/x")).toMatch(/option/);
    expect(destinationProblem("dev@box -p 22")).toMatch(/no spaces/);
    expect(destinationProblem("dev@box:2222")).toMatch(/ssh:\/\/user@host:port/);
    expect(destinationProblem("ssh://dev@box:70000")).toMatch(/out of range/);
    expect(destinationProblem("dev@")).toMatch(/host is missing/);
    expect(destinationProblem("de v@box")).not.toBeNull();
    expect(destinationProblem("@box")).toMatch(/not a user name/);
    expect(destinationProblem("dev@-box")).toMatch(/not a host/);
  });
});

describe("containers, commands and folders", () => {
  it("takes a docker name or id and refuses options and odd characters", () => {
    expect(containerProblem("dev-env_1")).toBeNull();
    expect(containerProblem("3f2a9c")).toBeNull();
    expect(containerProblem("")).toMatch(/docker ps/);
    expect(containerProblem("--privileged")).toMatch(/option/);
    expect(containerProblem("a b")).toMatch(/not a container name/);
  });

  it("takes a one-line command", () => {
    expect(commandProblem("kubectl exec -i pod -- warden serve --stdio")).toBeNull();
    expect(commandProblem("  ")).toMatch(/serve --stdio/);
    expect(commandProblem("a\nb")).toMatch(/one line/);
  });

  it("takes absolute and ~ folders, refuses relative ones and ..", () => {
    expect(folderProblem("/srv/app")).toBeNull();
    expect(folderProblem("~")).toBeNull();
    expect(folderProblem("~/code/app")).toBeNull();
    expect(folderProblem("")).toMatch(/project folder on the host/);
    expect(folderProblem("code/app")).toMatch(/relative/);
    expect(folderProblem("~user/app")).toMatch(/"~user" is another user's home/);
    expect(folderProblem("~")).toBeNull();
    expect(folderProblem("~/code/app")).toBeNull();
    expect(folderProblem("/srv/../etc")).toMatch(/\.\./);
  });
});

describe("the whole draft", () => {
  it("checks only the fields of the chosen kind, and the folder", () => {
    expect(draftProblems(emptyDraft)).toEqual({ destination: expect.any(String), folder: expect.any(String) });
    expect(draftProblems({ ...emptyDraft, kind: "container", folder: "/w" })).toEqual({ container: expect.any(String) });
    expect(draftProblems({ ...emptyDraft, kind: "command", command: "sh -c x", folder: "/w" })).toEqual({});
    expect(draftProblems({ ...emptyDraft, destination: "dev@box", folder: "~/app" })).toEqual({});
  });

  it("names the place as the header shows it", () => {
    expect(placeLabel({ ...emptyDraft, destination: " dev@box " })).toBe("ssh: dev@box");
    expect(placeLabel({ ...emptyDraft, kind: "container", container: "web", engine: "podman" })).toBe("podman: web");
  });
});

describe("ssh options", () => {
  const problem = (text: string) => {
    const parsed = parseSshOptions(text);
    return parsed.ok ? null : parsed.problem;
  };

  it("parses -p, -i, -J and allowed -o options into typed fields and back", () => {
    const parsed = parseSshOptions(" -p 2222 -i ~/.ssh/work -J me@bastion:22,jump2 -o connecttimeout=5 -oUser=dev ");
    expect(parsed).toEqual({
      ok: true,
      value: { port: 2222, identityFile: "~/.ssh/work", jump: "me@bastion:22,jump2", options: [{ key: "ConnectTimeout", value: "5" }, { key: "User", value: "dev" }] },
    });
    if (parsed.ok) expect(sshOptionsText(parsed.value)).toBe("-p 2222 -i ~/.ssh/work -J me@bastion:22,jump2 -o ConnectTimeout=5 -o User=dev");
    expect(parseSshOptions("-p2222 -o Port=22")).toMatchObject({ ok: true, value: { port: 22, options: [] } });
    expect(parseSshOptions("")).toMatchObject({ ok: true, value: { options: [] } });
  });

  it("refuses whatever would run a command, listen or read another config, and anything it does not know", () => {
    for (const evil of ["-o ProxyCommand=nc", "-oproxycommand=x", "-o LocalCommand=touch", "-o PermitLocalCommand=yes", "-o KnownHostsCommand=x", "-o RemoteCommand=x", "-o PKCS11Provider=/x.so", "-o LocalForward=1", "-o Include=/x", "-o StrictHostKeyChecking=no"]) {
      expect(problem(evil), evil).toMatch(/refused/);
    }
    expect(problem("-F /tmp/evil")).toMatch(/only -o Key=Value/);
    expect(problem("-L 8080:x:80")).toMatch(/only -o Key=Value/);
    expect(problem("-o ControlMaster=yes")).toMatch(/does not pass/);
    expect(problem("host")).toMatch(/not an ssh option/);
    expect(problem("-p")).toMatch(/needs a value/);
    expect(problem("-p 70000")).toMatch(/not a port/);
    expect(problem("-i -oProxyCommand=x")).toMatch(/dash/);
    expect(problem("-J a;touch")).toMatch(/not a jump host/);
    expect(problem("-o User=$(id)")).toMatch(/not a user name/);
    expect(problem("-o ConnectTimeout")).toMatch(/no value/);
    expect(problem("-p 22\n-o ProxyCommand=x")).toMatch(/one line/);
  });

  it("are a problem of an ssh draft only, and travel typed in the target and back into the form", () => {
    const draft = { ...emptyDraft, destination: "dev@box", folder: "~/app", sshOptions: "-o ProxyCommand=x" };
    expect(draftProblems(draft)).toEqual({ sshOptions: expect.stringMatching(/refused/) });
    expect(draftProblems({ ...draft, kind: "container", container: "web" })).toEqual({});
    const target = targetOf({ ...draft, sshOptions: "-p 2222 -o ConnectTimeout=5" });
    expect(target).toMatchObject({ kind: "ssh", folder: "~/app", ssh: { port: 2222, options: [{ key: "ConnectTimeout", value: "5" }] } });
    expect(draftOf(target)).toMatchObject({ destination: "dev@box", sshOptions: "-p 2222 -o ConnectTimeout=5" });
    expect(targetOf({ ...draft, kind: "container", container: "web" }).ssh).toEqual({ port: null, identityFile: null, jump: null, options: [] });
  });
});
