import { describe, expect, it } from "vitest";
import { findRefusedTab } from "./_yaml-tabs.ts";

// Each case was run through `kubectl config view` (go-yaml v2): "ok" means kubectl loaded it.
describe("findRefusedTab agrees with kubectl about tabs", () => {
  it.each([
    [
      "a tab-only blank line after a plain value",
      "current-context: a\n\t\n",
      "found a tab character that violates indentation",
    ],
    ["a file that is only a tab", "\t\n", "found character that cannot start any token"],
    ["a trailing tab", "current-context: a\t\n", "ok"],
    ["a tab after the colon", "current-context:\ta\n", "ok"],
    ["a space then a tab after the colon", "current-context: \ta\n", "ok"],
    [
      "a tab before a comment at line start",
      "current-context: a\n\t# c\n",
      "found a tab character that violates indentation",
    ],
    ["a tab before a trailing comment", "current-context: a\t# c\n", "ok"],
    ["a tab inside a flow mapping", "{current-context:\ta}\n", "ok"],
    ["a tab inside a quoted string", "current-context: 'a\tb'\n", "ok"],
    ["a tab inside a plain string", "current-context: a\tb\n", "ok"],
    ["a tab inside block scalar content", "current-context: |\n  a\tb\n", "ok"],
    ["a tab right after a dash", "clusters:\n-\tname: a\n", "found character that cannot start any token"],
    [
      "spaces then a tab before the first key",
      "  \tcurrent-context: a\n",
      "found character that cannot start any token",
    ],
    ["a space and a tab on a blank line after a plain value", "a: 1\n \t\ncurrent-context: x\n", "ok"],
    [
      "a space and a tab on a blank line after a quoted value",
      "current-context: 'a'\n \t\n",
      "found character that cannot start any token",
    ],
    [
      "a space and a tab on a blank line after a colon",
      "clusters:\n \t\n- name: x\n",
      "found character that cannot start any token",
    ],
    [
      "a tab short of a nested value's indentation",
      "preferences:\n  colors: true\n  \t\ncurrent-context: x\n",
      "found a tab character that violates indentation",
    ],
    ["a tab at a nested value's indentation", "preferences:\n  colors: true\n   \t\ncurrent-context: x\n", "ok"],
    ["a tab in a second document", "current-context: a\n---\n\t\n", "ok"],
    [
      "a tab short of a deep value's indentation",
      "users:\n- name: u\n  user:\n    token: t\n    \t\n",
      "found a tab character that violates indentation",
    ],
    ["a tab at a deep value's indentation", "users:\n- name: u\n  user:\n    token: t\n     \t\n", "ok"],
    ["a tab at a sequence item's indentation", "x:\n- a\n \t\n", "ok"],
    ["a tab after an explicit key", "?\tcurrent-context\n: a\n", "found character that cannot start any token"],
  ])("%s", (_label, text, expected) => {
    expect(findRefusedTab(text)?.message ?? "ok").toBe(expected);
  });

  it("points at the tab", () => {
    expect(findRefusedTab("current-context: a\n\t\n")?.offset).toBe(19);
  });
});
