import { describe, expect, it } from "vitest";
import { commandProblem, containerProblem, destinationProblem, draftProblems, emptyDraft, folderProblem, placeLabel } from "./validate";

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
    expect(folderProblem("~user/app")).toMatch(/relative/);
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
