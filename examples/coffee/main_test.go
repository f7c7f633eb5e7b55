package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kioskRun runs the program with args and the lines as its input.
func kioskRun(t *testing.T, args []string, lines ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	code = run(context.Background(), args, in, &out, &errw)
	return code, out.String(), errw.String()
}

// blocks splits the output into its reply blocks.
func blocks(out string) []string {
	return strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n")
}

// TestOrder orders a drink from start to finish, picking choices by number
// and answering the kiosk's questions, on a store in a directory; a second
// run on the same directory remembers the customer.
func TestOrder(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := kioskRun(t, []string{"-data", dir, "-brew", "0", "-name", "Ada"},
		"1",        // Order a drink
		"latte",    // which drink
		"large",    // which size
		"oat milk", // which milk
		"1",        // Yes, brew it
	)
	if code != 0 {
		t.Fatalf("exit code: got %d, want 0 (stderr: %s)", code, errs)
	}
	want := [][]string{
		{"Ada!", "  1. Order a drink", "  2. Prices", "  3. Help"},
		{"Which drink would you like"},
		{"medium or large"}, // either variant of the prompt
		{"Which milk"},
		{"One large latte with oat milk and no sugar. Shall I start brewing?", "  1. Yes, brew it", "  2. No, cancel"},
		{"Brewing your large latte now.", "Your latte is ready. Enjoy, and mind, it's hot!"},
	}
	got := blocks(out)
	if len(got) != len(want) {
		t.Fatalf("got %d reply blocks, want %d:\n%s", len(got), len(want), out)
	}
	for i, parts := range want {
		for _, p := range parts {
			if !strings.Contains(got[i], p) {
				t.Errorf("block %d: got %q, want it to contain %q", i+1, got[i], p)
			}
		}
	}

	// The store keeps the customer: the kiosk greets them by name.
	code, out, errs = kioskRun(t, []string{"-data", dir}, "bye")
	if code != 0 {
		t.Fatalf("second run: exit code: got %d, want 0 (stderr: %s)", code, errs)
	}
	if got := blocks(out); len(got) != 2 || !strings.Contains(got[0], "Ada!") || got[1] != "Goodbye Ada! Come back soon." {
		t.Errorf("second run: got %q, want a greeting and a goodbye to Ada", out)
	}
}

// TestDefaultDirectory runs the kiosk without -data: the store goes under
// the user's cache directory.
func TestDefaultDirectory(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	code, out, errs := kioskRun(t, nil, "what are your prices")
	if code != 0 {
		t.Fatalf("exit code: got %d, want 0 (stderr: %s)", code, errs)
	}
	if !strings.Contains(out, "Plant milks are free of charge.") {
		t.Errorf("got %q, want the prices", out)
	}
	if _, err := os.Stat(filepath.Join(cache, "parley", "coffee")); err != nil {
		t.Errorf("no store in the default directory: %v", err)
	}
}

func TestMemory(t *testing.T) {
	code, out, errs := kioskRun(t, []string{"-memory"}, "/quit", "help")
	if code != 0 {
		t.Fatalf("exit code: got %d, want 0 (stderr: %s)", code, errs)
	}
	if got := blocks(out); len(got) != 1 {
		t.Errorf("got %q, want the welcome only: /quit leaves", out)
	}
}

func TestFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"ErrUnknownFlag", []string{"-nope"}, 2, "flag provided but not defined: -nope"},
		{"ErrBadDuration", []string{"-brew", "soon"}, 2, `invalid value "soon" for flag -brew`},
		{"ErrArgument", []string{"-memory", "extra"}, 2, `coffee: unexpected argument "extra"`},
		{"ErrDataAndMemory", []string{"-memory", "-data", "x"}, 2, "coffee: -data and -memory exclude each other"},
		{"ErrDataIsFile", []string{"-data", file}, 1, "coffee: mkdir " + file},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := kioskRun(t, tt.args)
			if code != tt.code {
				t.Errorf("exit code: got %d, want %d", code, tt.code)
			}
			if !strings.Contains(errs, tt.stderr) {
				t.Errorf("stderr: got %q, want it to contain %q", errs, tt.stderr)
			}
			if out != "" {
				t.Errorf("stdout: got %q, want nothing", out)
			}
		})
	}
}
