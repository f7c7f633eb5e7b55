package console_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the master end the test types into and
// reads from, and the terminal end a program sees.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		master.Close()
		t.Skipf("unlockpt: %v", errno)
	}
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		master.Close()
		t.Skipf("ptsname: %v", errno)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Skipf("open terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	return master, tty
}

// TestRunTerminal talks at a terminal: a prompt, line editing (a
// backspace), history (the up arrow sends the last line again) and Ctrl-D.
func TestRunTerminal(t *testing.T) {
	master, tty := openPTY(t)
	c := newChat(t)

	var mu sync.Mutex
	var screen bytes.Buffer
	welcomed := make(chan struct{}) // closed when the welcome shows
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			if welcomed != nil && strings.Contains(screen.String(), "2. Menu") {
				close(welcomed)
				welcomed = nil
			}
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() {
		done <- c.Run(context.Background(), tty, tty)
		tty.Close()
	}()

	// Once the welcome shows (the terminal is in raw mode by then): "tex\x7fa" is "tex", a backspace
	// and "a"; "\x1b[A" is the up arrow; "\x04" is Ctrl-D.
	mu.Lock()
	wait := welcomed
	mu.Unlock()
	if wait != nil {
		<-wait
	}
	if _, err := master.Write([]byte("tex\x7fa\r\x1b[A\r\x04")); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	<-read

	mu.Lock()
	got := strings.ReplaceAll(screen.String(), "\r\n", "\n")
	mu.Unlock()
	if n := strings.Count(got, "One tea.\n"); n != 2 {
		t.Errorf("got the tea answer %d times, want 2 (tea, then tea from history):\n%q", n, got)
	}
	if !strings.Contains(got, "Hello!\nWhat would you like?\n") || !strings.Contains(got, "> ") {
		t.Errorf("got %q, want the welcome and a prompt", got)
	}
}
