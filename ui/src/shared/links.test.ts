import { describe, expect, it } from "vitest";
import { linkTitle, openableLink } from "./links";

describe("the links the chat opens", () => {
  it("opens web links as they are", () => {
    for (const url of [
      "https://docs.rs/tokio",
      "http://example.com/a?b=c#d",
      "https://user@example.com:8443/x",
      "https://[::1]:8080/",
      "https://例え.jp/パス",
    ]) {
      expect(openableLink(url), url).toBe(url);
    }
    expect(openableLink("HTTPS://Example.com")).toBe("https://Example.com");
    expect(openableLink("  https://x.y  ")).toBe("https://x.y");
  });

  it("opens a mail link with its address only, whatever its query asks", () => {
    const queries = [
      "?attach=/home/me/.ssh/id_rsa",
      "?attachment=file:///etc/passwd",
      "?subject=Hi&body=secret",
      "?cc=evil@x.test",
      "?bcc=evil@x.test&attach=~/.aws/credentials",
      "?to=evil@x.test",
      "#frag",
      "?",
      "?&&attach=%2Fetc%2Fshadow",
      "?ATTACH=x",
    ];
    for (const query of queries) {
      expect(openableLink(`mailto:dev@example.com${query}`), query).toBe("mailto:dev@example.com");
      expect(openableLink(`MailTo:dev@example.com${query}`), query).toBe("mailto:dev@example.com");
    }
    expect(openableLink("mailto:a@x.test,b.c+d@y.example")).toBe("mailto:a@x.test,b.c+d@y.example");
    expect(openableLink("mailto:dev%40example.com")).toBe("mailto:dev@example.com");
    expect(linkTitle("mailto:dev@example.com?attach=/etc/passwd")).toMatch(/^Opens mailto:dev@example\.com only: .*attachments are left out/);
    expect(linkTitle("mailto:dev@example.com")).toBe("mailto:dev@example.com");
  });

  it("refuses a mail link whose address hides a query or headers", () => {
    for (const url of [
      "mailto:",
      "mailto:?to=evil@x.test&attach=/etc/passwd",
      "mailto:dev@example.com%3Fattach=/etc/passwd",
      "mailto:dev@example.com%26attach=x",
      "mailto:%22a%3Fb%22@example.com",
      "mailto:dev@example.com%0Abcc:evil@x.test",
      "mailto:dev@example.com%",
      "mailto:<dev@example.com>",
      "mailto:dev",
      "mailto:a@x.test,,b@y.test",
      "mailto:dev@example..com",
      "mailto:dev@example.com%zz",
    ]) {
      expect(openableLink(url), url).toBeNull();
    }
  });

  it("opens no other scheme, and nothing malformed", () => {
    for (const url of [
      "file:///etc/passwd",
      "FILE:///C:/Windows/System32/calc.exe",
      "javascript:alert(1)",
      " javascript:alert(1)",
      "java\u0000script:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "vscode://file/etc/passwd",
      "ms-settings:",
      "smb://host/share",
      "ssh://host",
      "tel:123",
      "x-warden:open",
      "//example.com/x",
      "/etc/passwd",
      "src/app.js",
      "#anchor",
      "https:/example.com",
      "https:example.com",
      "https://",
      "https:///etc/passwd",
      "https://@:80/",
      "https:\\\\example.com",
      "https://a\nb",
      "https://a\tb",
      "https://a b",
      "https://ex\u202eample.com",
      "https://ex\u200bample.com",
      "",
      "   ",
      `https://x.test/${"a".repeat(9000)}`,
    ]) {
      expect(openableLink(url), JSON.stringify(url)).toBeNull();
    }
    expect(openableLink(null)).toBeNull();
    expect(openableLink(undefined)).toBeNull();
    expect(linkTitle("file:///etc/passwd")).toBe("Warden does not open this link: file:///etc/passwd");
  });
});
