// The rule syntax in one glance, next to where rules are typed.

export function RuleHelp() {
  return (
    <p className="rule-help" data-testid="rule-help">
      A tool, or a tool and what it acts on: <code>Bash</code>, <code>Bash(npm test:*)</code>, <code>Read(src/**)</code>,{" "}
      <code>Edit(//abs/path/**)</code>, <code>WebFetch(domain:example.com)</code>. Deny wins over allow. A compound command
      (<code>a && b</code>) runs only if every part is allowed. Project rules never apply to paths outside the project.
    </p>
  );
}
