package main

import (
	"strings"
	"testing"
)

// TestFlagsAfterArgs checks that flags may follow file arguments, as
// newcomers type them, and that "--" ends the flags.
func TestFlagsAfterArgs(t *testing.T) {
	code, out, errs := parley(t, []string{"test", "initbot", "-v", "-run", "question"})
	if code != 0 || !strings.Contains(out, "--- ok: a question in the user's own words") || strings.Contains(out, "pizza by its buttons") {
		t.Errorf("test initbot -v -run question: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = parley(t, []string{"check", "--", "-v"})
	if code != 1 || !strings.Contains(errs, "-v") {
		t.Errorf("check -- -v: got exit %d, %q; want 1 and -v loaded as a bot", code, errs)
	}
}

// TestChatEcho checks that -echo prints each piped line before its reply.
func TestChatEcho(t *testing.T) {
	code, out, errs := parley(t, []string{"chat", "-memory", "initbot/bot.yaml", "-echo"}, "when are you open")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := "> when are you open\nWe're open every day from 11 am to 11 pm.\n"
	if !strings.Contains(out, want) {
		t.Errorf("got\n%s\nwant it to contain\n%s", out, want)
	}
}

// TestServeArgs checks that serve takes a positional bot like the other
// commands, and says what is wrong before its usage.
func TestServeArgs(t *testing.T) {
	code, _, errs := parley(t, []string{"serve"})
	if code != 2 || !strings.HasPrefix(errs, "parley serve: no bot given") {
		t.Errorf("serve without a bot: got exit %d, stderr starting %.60q; want 2 and the reason first", code, errs)
	}
	code, _, errs = parley(t, []string{"serve", "-memory", "-no-developer-token", "-client-token", "client-token-1", "no-such-bot.yaml"})
	if code != 1 || !strings.Contains(errs, "no-such-bot.yaml") {
		t.Errorf("serve no-such-bot.yaml: got exit %d, %q; want 1 and a load error naming the file", code, errs)
	}
}
