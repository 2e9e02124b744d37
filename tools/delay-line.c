// A network delay line for tools/delay-bed.sh: pairs of TUN devices, every packet read from
// one device of a pair written to the other DELAY_US microseconds later, in order. It
// stands in for `tc netem delay` on kernels built without sch_netem (the CI machines'
// Firecracker kernel has no netem, fq or cake qdisc): real packets, real TCP, and every
// packet, ACKs included, waits DELAY_US each way.
//
//   delay-line DELAY_US a1 b1 [a2 b2 ...]
//
// makes the devices (they vanish when it exits; the caller gives them addresses and moves
// one of each pair into a network namespace) and prints "ready" once they exist.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

enum { SLOTS = 65536, MAX_PACKET = 65536, MAX_DEVICES = 32 };

// A packet waiting in a ring until its due time (ns, monotonic clock).
struct packet {
  long long due;
  int len;
  unsigned char *data;
};
struct ring {
  struct packet *slot;
  int head, tail;
};

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int open_tun(const char *name) {
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
  if (fd < 0) {
    perror("delay-line: open /dev/net/tun");
    exit(1);
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    perror("delay-line: TUNSETIFF");
    exit(1);
  }
  return fd;
}

int main(int argc, char **argv) {
  if (argc < 4 || (argc - 2) % 2 != 0 || argc - 2 > MAX_DEVICES) {
    fprintf(stderr, "usage: delay-line DELAY_US a1 b1 [a2 b2 ...] (at most %d devices)\n",
            MAX_DEVICES);
    return 2;
  }
  long long delay = atoll(argv[1]) * 1000LL;
  int n = argc - 2;
  int fd[MAX_DEVICES];
  struct ring ring[MAX_DEVICES];  // ring[i]: packets read from device i, bound for i ^ 1
  for (int i = 0; i < n; i++) {
    fd[i] = open_tun(argv[2 + i]);
    ring[i].slot = calloc(SLOTS, sizeof(struct packet));
    ring[i].head = ring[i].tail = 0;
    if (!ring[i].slot) return 1;
  }
  printf("ready\n");
  fflush(stdout);
  struct pollfd pfd[MAX_DEVICES];
  for (;;) {
    long long t = now_ns(), next = -1;
    for (int i = 0; i < n; i++) {
      struct ring *r = &ring[i];
      while (r->head != r->tail && r->slot[r->head].due <= t) {
        // A write the device refuses (its queue full) drops the packet, as a wire would.
        (void)!write(fd[i ^ 1], r->slot[r->head].data, r->slot[r->head].len);
        r->head = (r->head + 1) % SLOTS;
      }
      if (r->head != r->tail && (next < 0 || r->slot[r->head].due < next))
        next = r->slot[r->head].due;
      pfd[i].fd = fd[i];
      // A full ring leaves packets in the device until it drains.
      pfd[i].events = (r->tail + 1) % SLOTS == r->head ? 0 : POLLIN;
    }
    struct timespec wait, *until = NULL;
    if (next >= 0) {
      long long w = next - now_ns();
      if (w < 0) w = 0;
      wait.tv_sec = w / 1000000000LL;
      wait.tv_nsec = w % 1000000000LL;
      until = &wait;
    }
    if (ppoll(pfd, n, until, NULL) < 0) continue;
    for (int i = 0; i < n; i++) {
      if (!(pfd[i].revents & POLLIN)) continue;
      struct ring *r = &ring[i];
      while ((r->tail + 1) % SLOTS != r->head) {
        struct packet *p = &r->slot[r->tail];
        if (!p->data && !(p->data = malloc(MAX_PACKET))) return 1;
        int len = read(fd[i], p->data, MAX_PACKET);
        if (len <= 0) break;
        p->len = len;
        p->due = now_ns() + delay;
        r->tail = (r->tail + 1) % SLOTS;
      }
    }
  }
}
