#!/usr/bin/perl
# crash.pl - the driver of tests/e2e/25-crash.t (which sets its environment:
# CRASH_DIR, CRASH_PORT, CRASH_KILLS, CRASH_SEED, CRASH_MEMBERS, CRASH_PW,
# CRASH_CODE, and BALLOT_BIN, BALLOT_DB and BALLOT_NOW from tests/e2e/lib.sh).
#
# perl crash.pl            run: the writers, the kills, a check after each kill
#                          of the server; writes $CRASH_DIR/acks.tsv (seq member
#                          rec choice received signatory source) and
#                          $CRASH_DIR/unacked.tsv (signatory rec source: requests
#                          killed before their acknowledgement), prints counts as
#                          "key value" lines to $CRASH_DIR/summary.
# perl crash.pl verify [ACKS [UNACKED]]
#                          the final check (strict JSON), "key value" lines.
use strict;
use warnings;
use POSIX qw(:sys_wait_h _exit);
use Time::HiRes qw(time sleep);
use IO::Socket::INET;
use JSON::PP ();

my $BIN = $ENV{BALLOT_BIN};
my $T = $ENV{CRASH_DIR};
my $BASE = 1575331200; # 2019-12-03T00:00:00Z: received times count up from here
my @MEMBERS = split ' ', ($ENV{CRASH_MEMBERS} // '');
our $DRIVER = 0; # the pid of the run, which kills what it started when it ends

sub iso {
	my @t = gmtime $_[0];
	sprintf '%04d-%02d-%02dT%02d:%02d:%02dZ', $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0];
}
sub slurp { my $f = shift; open my $fh, '<', $f or return ''; local $/; my $s = <$fh>; $s // '' }
sub spit { my ($f, $s) = @_; open my $fh, '>', "$f.tmp" or die "$f: $!"; print $fh $s; close $fh; rename "$f.tmp", $f }

# capture CMD...: (wait status, stdout and stderr)
sub capture {
	pipe(my $r, my $w) or die "pipe: $!";
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		close $r;
		open STDOUT, '>&', $w;
		open STDERR, '>&', $w;
		{ exec @_ }
		_exit(127);
	}
	close $w;
	local $/;
	my $out = <$r> // '';
	close $r;
	waitpid $pid, 0;
	return ($?, $out);
}

# --- the check ------------------------------------------------------------------

# the replies of `history --json`: [seq kind member rec what received signatory]
sub history_rows {
	my ($json, $strict) = @_;
	my @rows;
	if ($strict) {
		for my $e (@{ JSON::PP->new->decode($json) }) {
			push @rows, [ map { $e->{$_} // '' } qw(seq kind member rec what received signatory) ];
		}
		return @rows;
	}
	# fast: the fields are always in this order (the strict parse checks at the end)
	my $n = () = $json =~ /\{"seq":/g;
	while ($json =~ /\{"seq":(\d+),"kind":"(\w+)","member":"(\w+)","rec":"([^"]*)","what":"([^"]*)","received":"([^"]*)".*?"signatory":(?:null|"([^"]*)")/g) {
		push @rows, [ $1, $2, $3, $4, $5, $6, $7 // '' ];
	}
	die "history: parsed " . scalar(@rows) . " of $n entries\n" if @rows != $n;
	return @rows;
}

sub read_acks {
	my @a;
	for my $f (@_) {
		for my $l (split /\n/, slurp($f)) { # a complete line only
			my @x = split /\t/, $l;
			push @a, \@x if @x == 7;
		}
	}
	return @a;
}

# verify STRICT ACKS [UNACKED]: every acknowledged reply in the history as it
# was acknowledged, none twice, check and audit verify pass. Returns (counts, diag).
sub verify {
	my ($strict, $acks, $unacked) = @_;
	my %r = (acks => scalar @$acks, present => 0, lost => 0, twice => 0, rows => 0, history => 'ok');
	my (@diag, %byseq, %bysig);
	for my $c (qw(205 206)) {
		my ($st, $out) = capture($BIN, 'history', '--circular', $c, '--json');
		my @rows = $st == 0 ? eval { history_rows($out, $strict) } : ();
		if ($st != 0 || $@) {
			$r{history} = 'FAILED';
			push @diag, "history --circular $c: exit " . ($st >> 8) . ": " . substr($@ || $out, 0, 300);
			next;
		}
		for my $row (@rows) {
			$r{rows}++;
			$byseq{ $row->[0] } = $row;
			$bysig{"$row->[6] $row->[3]"}++ if $row->[6] ne '';
		}
	}
	my %seen;
	for my $a (@$acks) {
		my ($seq, $m, $rec, $ch, $recv, $sig, $src) = @$a;
		my $row = $byseq{$seq};
		# (an event claimed by two acknowledgements is one lost)
		if ($row && $row->[1] eq 'reply' && "@$row[2 .. 6]" eq "$m $rec $ch $recv $sig" && !$seen{$seq}++) {
			$r{present}++;
		} else {
			$r{lost}++;
			push @diag, "LOST: acknowledged by $src as event $seq: $m $rec $ch received $recv signatory $sig; "
				. ($row ? "the history has event $seq: @$row" : "no event $seq in the history") if $r{lost} <= 10;
		}
	}
	for my $k (sort grep { $bysig{$_} > 1 } keys %bysig) {
		$r{twice}++;
		push @diag, "recorded $bysig{$k} times: signatory and draft $k" if $r{twice} <= 10;
	}
	if ($unacked) { # killed before their acknowledgement: committed or not
		$r{unacked} = scalar @$unacked;
		$r{unacked_committed} = grep { $bysig{"$_->[0] $_->[1]"} } @$unacked;
	}
	my ($st, $out) = capture($BIN, 'check');
	$r{check} = $st == 0 && $out =~ /^result: ok$/m ? 'ok' : 'FAILED';
	push @diag, "ballot check: exit " . ($st >> 8) . ":\n$out" if $r{check} ne 'ok';
	($st, $out) = capture($BIN, 'audit', 'verify');
	$r{audit} = $st == 0 ? 'ok' : 'FAILED';
	push @diag, "ballot audit verify: exit " . ($st >> 8) . ":\n$out" if $r{audit} ne 'ok';
	($r{head}) = $out =~ /head ([0-9a-f]{64})/;
	$r{head} //= 'none';
	return (\%r, \@diag);
}
sub check_failed { my $r = shift; $r->{lost} || $r->{twice} || grep { $r->{$_} ne 'ok' } qw(history check audit) }

if (($ARGV[0] // '') eq 'verify') {
	my @acks = read_acks($ARGV[1] // "$T/acks.tsv");
	my @unacked = $ARGV[2] ? map { [ split /\t/ ] } grep { length } split /\n/, slurp($ARGV[2]) : ();
	my ($r, $diag) = verify(1, \@acks, $ARGV[2] ? \@unacked : undef);
	print "# $_\n" for map { split /\n/ } @$diag;
	print "$_ $r->{$_}\n" for sort keys %$r;
	exit 0;
}

# --- the run ----------------------------------------------------------------------

my $KILLS = $ENV{CRASH_KILLS} // 350;
my $SEED = $ENV{CRASH_SEED} || ((time * 1000) ^ $$) % 1000000007;
my $CLI_GAP = 0.2;    # a command-line kill every 0..2x this (s)
my $PORTAL_LIFE = 1.5; # the server is killed 0..this after it was started (s)
my $LIMIT = 900;      # s: give up (a failure) rather than hang
srand $SEED;
my $port = $ENV{CRASH_PORT};
spit("$T/port", "$port\n");
my @stdbuf = ('stdbuf', '-oL'); # stdout line-buffered, as on a terminal
my $ASAN = join ':', grep { length } $ENV{ASAN_OPTIONS} // '', 'verify_asan_link_order=0'; # stdbuf preloads a library

my %n = map { $_ => 0 } qw(cli_kills cli_kill_missed cli_runs cli_acks cli_acked_then_killed portal_kills
	portal_kills_starting server_starts checks check_failures errors);
my (@acks, @unacked, @errors);
sub error { $n{errors}++; push @errors, @_ if @errors < 20 }

# --- the portal's clients (child processes; they never get killed) ---
sub curl {
	my ($jar, $bodyf, $path, @args) = @_;
	my $p = slurp("$T/port") =~ /(\d+)/ ? $1 : $port;
	unlink $bodyf;
	open(my $fh, '-|', 'curl', '-sS', '--max-time', '30', '--cacert', "$T/ca/ca.pem",
		'--resolve', "localhost:$p:127.0.0.1", '-c', $jar, '-b', $jar, '-o', $bodyf,
		'-w', '%{http_code} %{redirect_url}', @args, "https://localhost:$p$path") or return ('000', '', -1, '');
	my $w = <$fh> // '';
	close $fh;
	my $rc = $? >> 8;
	my ($st, $loc) = $w =~ /^(\d{3}) ?(\S*)/ ? ($1, $2) : ('000', '');
	$loc =~ s{^https://[^/]+}{};
	return ($st, slurp($bodyf), $rc, $loc);
}

sub receipts {
	my @r;
	while ($_[0] =~ m{<section class="receipt" id="receipt-\d+">(.*?)</section>}gs) {
		my $s = $1;
		my %x;
		($x{member}) = $s =~ m{</span>, ([A-Z]{3})</dd>};
		($x{rec}) = $s =~ /class="draft">([^<]+)</;
		($x{choice}) = $s =~ /class="choice">([^<]+)</;
		($x{received}) = $s =~ /class="received" datetime="([^"]+)"/;
		($x{sig}) = $s =~ /class="signatory">([^<]*)</;
		($x{seq}) = $s =~ /class="event">(\d+)</;
		push @r, \%x;
	}
	return @r;
}

sub client {
	my ($role) = @_;
	my $stop = 0;
	$SIG{TERM} = sub { $stop = 1 };
	open STDERR, '>>', "$T/client-$role.log";
	open my $ack, '>>', "$T/acks-$role.tsv" or die;
	open my $tried, '>>', "$T/tried-$role.tsv" or die;
	my ($jar, $bodyf) = ("$T/$role.jar", "$T/$role.body");
	my ($form, @cred) = $role eq 'tsb'
		? ('/secretariat/c/205', kind => 'user', user => 'tsb', password => $ENV{CRASH_PW})
		: ('/member/c/206', kind => 'member', member => 'CHN', code => $ENV{CRASH_CODE});
	my ($i, $signed, $csrf, %c) = (0, 0, '');
	while (!$stop) {
		if (!$signed) {
			unlink $jar;
			my ($st, $page) = curl($jar, $bodyf, '/signin');
			if ($st ne '200') { $c{down}++; sleep 0.01; next }
			my ($tok) = $page =~ /name="csrf" value="([^"]*)"/;
			my %f = (csrf => $tok // '', @cred);
			($st) = curl($jar, $bodyf, '/signin', map { ('--data-urlencode', "$_=$f{$_}") } sort keys %f);
			if ($st ne '303') { $c{"signin $st"}++; sleep 0.01; next }
			($st, $page) = curl($jar, $bodyf, $form);
			if ($st ne '200') { $c{ $st =~ /^(000|303|401|403)$/ ? 'gone' : "form $st" }++; next }
			($csrf) = $page =~ /name="csrf" value="([^"]*)"/;
			$signed = 1;
			$c{signins}++;
		}
		my $k = $i++;
		my (@f, @want);
		if ($role eq 'tsb') {
			my ($m, $rec, $ch) = ($MEMBERS[60 + $k % 20], $k % 2 ? 'Q.5052' : 'Q.5051', $k % 3 == 2 ? 'not-authorize' : 'authorize');
			my ($recv, $sig) = (iso($BASE + 3_000_000 + $k), "tsb-$k");
			@f = (csrf => $csrf, member => $m, draft => $rec, choice => $ch, channel => 'fax',
			      received => $recv, signatory => $sig);
			@want = ([ $m, $rec, $ch, $recv, $sig ]);
		} else {
			my $sig = "chn-$k";
			my ($c1, $c2) = $k % 2 ? ('not-authorize', 'authorize') : ('authorize', 'not-authorize');
			@f = (csrf => $csrf, 'choice-1' => $c1, 'choice-2' => $c2, signatory => $sig);
			@want = ([ 'CHN', 'Q.6001', $c1, undef, $sig ], [ 'CHN', 'Q.6002', $c2, undef, $sig ]);
		}
		# as a browser: the form's single-use token, the POST, then the
		# receipt page its 303 names (an acknowledgement is that page)
		my ($fst, $fpage, $frc) = curl($jar, $bodyf, $form);
		if ($fst ne '200' || $frc != 0) {
			$c{ $fst eq '000' || $frc != 0 ? 'cut' : 'signed_out' }++;
			$signed = 0;
			next;
		}
		my ($once) = $fpage =~ /name="once" value="([^"]*)"/;
		push @f, once => $once // '';
		syswrite $tried, join('', map { "$_->[4]\t$_->[1]\t$role\n" } @want);
		my ($st, $page, $rc, $loc) = curl($jar, $bodyf, "$form/reply", map { ('-F', "$f[2 * $_]=$f[2 * $_ + 1]") } 0 .. $#f / 2);
		if ($st eq '303' && $rc == 0 && $loc =~ m{^/(member|secretariat)/sent/}) {
			($st, $page, $rc) = curl($jar, $bodyf, $loc);
			if ($st ne '200' || $rc != 0) {
				# recorded, but the receipt page was not seen: not acknowledged
				$c{ $st eq '000' || $rc != 0 ? 'cut' : 'signed_out' }++;
				$signed = 0;
				next;
			}
		}
		if ($st eq '200' && $rc == 0 && $page =~ m{</html>\s*\z}) {
			my @r = receipts($page);
			my @bad = grep {
				my ($w, $x) = ($want[$_], $r[$_]);
				!$x || !$x->{seq} || "$x->{member} $x->{rec} $x->{choice} $x->{sig}" ne "@$w[0, 1, 2, 4]"
					|| (defined $w->[3] && ($x->{received} // '') ne $w->[3]);
			} 0 .. $#want;
			if (@bad || @r != @want) {
				$c{bad_receipt}++;
				print STDERR "a receipt that does not match the request $k:\n$page\n";
				next;
			}
			syswrite $ack, join('', map { join("\t", @$_{qw(seq member rec choice received sig)}, $role) . "\n" } @r);
			$c{acks} += @r;
		} elsif ($st eq '000' || $rc != 0) {
			$c{cut}++; # the server died under the request
			$signed = 0;
		} elsif ($st =~ /^(303|401|403)$/) {
			$c{signed_out}++; # a new server: the session is gone
			$signed = 0;
		} else {
			$c{"status $st"}++;
			print STDERR "request $k: status $st:\n$page\n";
			$signed = 0;
		}
	}
	spit("$T/client-$role.counts", join('', map { "$_\t$c{$_}\n" } sort keys %c));
}

# --- the command-line writers ---
my (@slot, %cli);
sub cli_start {
	my ($w, $now) = @_;
	my $i = $n{cli_runs}++;
	my $k = $n{"w$w"}++;
	my $m = $MEMBERS[$w * 20 + $k % 20];
	my $rec = int($k / 20) % 2 ? 'Q.5052' : 'Q.5051';
	my @how = $k % 3 == 0 ? ('authorize-with-comments', '--authorize', '--comments', "$T/comments.txt")
		: $k % 3 == 1 ? ('authorize', '--authorize') : ('not-authorize', '--not-authorize');
	my $ch = shift @how;
	my $recv = iso($BASE + $w * 1_000_000 + $k);
	my $sig = "cli$w-$k";
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		open STDOUT, '>', "$T/cli/$i.out";
		open STDERR, '>', "$T/cli/$i.err";
		$ENV{ASAN_OPTIONS} = $ASAN;
		{ exec @stdbuf, $BIN, 'reply', '--circular', '205', '--member', $m, '--draft', $rec, @how,
			'--received', $recv, '--signatory', $sig }
		_exit(127);
	}
	$slot[$w] = $pid;
	$cli{$pid} = { w => $w, i => $i, want => "$m $rec $ch received $recv", m => $m, rec => $rec, ch => $ch,
		       recv => $recv, sig => $sig, start => $now };
}
sub cli_done {
	my ($pid, $st) = @_;
	my $p = delete $cli{$pid};
	$slot[ $p->{w} ] = undef;
	my ($out, $err) = (slurp("$T/cli/$p->{i}.out"), slurp("$T/cli/$p->{i}.err"));
	my $killed = $p->{killed} && WIFSIGNALED($st) && WTERMSIG($st) == 9;
	$n{cli_kills}++ if $killed;
	$n{cli_kill_missed}++ if $p->{killed} && !$killed; # it had exited already
	error("cli $p->{sig}: a sanitizer report:\n$err") if $err =~ /Sanitizer|runtime error/;
	if ($out =~ /^recorded reply \d+: (.*) \(event (\d+) [0-9a-f]{64}\)$/m) {
		my ($what, $seq) = ($1, $2);
		error("cli $p->{sig}: acknowledged '$what', asked '$p->{want}'") if $what ne $p->{want};
		push @acks, [ $seq, $p->{m}, $p->{rec}, $p->{ch}, $p->{recv}, $p->{sig}, "cli$p->{w}" ];
		$n{cli_acks}++;
		$n{cli_acked_then_killed}++ if $killed;
	} elsif ($killed) {
		push @unacked, [ $p->{sig}, $p->{rec}, 'cli' ];
	} else {
		error("cli $p->{sig}: exit status $st and no acknowledgement: $out$err");
	}
	unlink "$T/cli/$p->{i}.out", "$T/cli/$p->{i}.err" unless $n{errors};
}

# --- the server ---
my %srv = (pid => 0, state => 'down', retry_at => 0, listen_fail => 0);
my $check_wanted = 0;
sub srv_spawn {
	my $now = shift;
	my $log = "$T/serve-" . ++$n{server_starts} . ".log";
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		open STDERR, '>', $log;
		{ exec $BIN, 'serve', '--listen', "127.0.0.1:$port", '--cert', "$T/ca/server.pem",
			'--key', "$T/ca/server-key.pem", '--quiet' }
		_exit(127);
	}
	%srv = (%srv, pid => $pid, state => 'starting', log => $log, spawned => $now,
		kill_at => $now + rand($PORTAL_LIFE), killed => 0);
}
sub srv_done {
	my ($st, $now) = @_;
	my $log = slurp($srv{log});
	error("server: a sanitizer report:\n$log") if $log =~ /Sanitizer|runtime error/;
	if ($srv{killed} && WIFSIGNALED($st) && WTERMSIG($st) == 9) {
		$n{portal_kills}++;
		$n{portal_kills_starting}++ if $srv{state} eq 'starting';
		$srv{retry_at} = $now;
		$check_wanted = 1;
	} elsif ($log =~ /cannot listen/ && $srv{listen_fail}++ < 100) {
		if ($srv{listen_fail} % 20 == 0) { # the port went elsewhere: take another
			$port = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0)->sockport;
			spit("$T/port", "$port\n");
		}
		$srv{retry_at} = $now + 0.05;
	} else {
		error("server: exit status $st" . ($srv{killed} ? ' (a kill that missed)' : '') . ":\n$log");
		$srv{retry_at} = $now + 0.05;
	}
	%srv = (%srv, pid => 0, state => 'down');
}

# --- the checks, after each kill of the server, in a child process while the
# server restarts and the command-line writers go on ---
my ($checker, $check_time, $check_max_acks) = (0, 0, 0);
sub check_start {
	my $c = $n{checks} + 1;
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		my $t0 = time;
		my @all = (@acks, read_acks(map { "$T/acks-$_.tsv" } qw(tsb chn)));
		my ($r, $diag) = verify(0, \@all);
		spit("$T/check-$c.out", join('', map { "$_ $r->{$_}\n" } sort keys %$r)
			. sprintf("seconds %.3f\n", time - $t0) . join('', map { "# $_\n" } map { split /\n/ } @$diag));
		_exit(check_failed($r) ? 1 : 0);
	}
	$checker = $pid;
}
sub check_done {
	my $st = shift;
	my $c = ++$n{checks};
	my $out = slurp("$T/check-$c.out");
	my ($acks) = $out =~ /^acks (\d+)/m;
	my ($secs) = $out =~ /^seconds ([\d.]+)/m;
	$check_max_acks = $acks if ($acks // 0) > $check_max_acks;
	$check_time += $secs // 0;
	$checker = 0;
	if ($st != 0) {
		$n{check_failures}++;
		print "# check $c (after restart of the server, $n{portal_kills} server and $n{cli_kills} command kills so far) FAILED:\n";
		print map { /^# / ? $_ : "# $_" } split /^/, $out;
	}
}

# --- go ---
my $t0 = time;
mkdir "$T/cli";
my %clients;
for my $role (qw(tsb chn)) {
	my $pid = fork // die "fork: $!";
	if (!$pid) { client($role); _exit(0) }
	$clients{$pid} = $role;
}
my $stop = 0;
$SIG{INT} = $SIG{TERM} = sub { $stop = 1 };
$DRIVER = $$;
END { kill 'KILL', grep { $_ } keys %clients, keys %cli, $srv{pid}, $checker if $DRIVER && $$ == $DRIVER }

my $next_cli_kill = $t0 + rand(2 * $CLI_GAP);
my $winding = 0;
my $log_polled = 0;
sub reap {
	my $now = shift;
	while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
		my $st = $?;
		if ($cli{$pid}) { cli_done($pid, $st) }
		elsif ($pid == $srv{pid}) { srv_done($st, $now) }
		elsif ($pid == $checker) { check_done($st) }
		elsif ($clients{$pid}) {
			error("client $clients{$pid} exited: $st") unless $winding && $st == 0;
			delete $clients{$pid};
		}
	}
}
# Once the kills are done: no new writer; the server comes back up and the
# check after its last restart runs.
my ($ending, $kill_seconds) = (0, 0);
while (!$stop) {
	my $now = time;
	reap($now);
	if (!$ending && $n{cli_kills} + $n{portal_kills} >= $KILLS) {
		$ending = 1;
		$kill_seconds = $now - $t0;
	}
	last if $ending && $srv{state} eq 'up' && !$srv{killed} && !$check_wanted && !$checker;
	if ($now - $t0 > $LIMIT) { error("not done after $LIMIT s"); last }
	if (!$ending) {
		for my $w (0 .. 2) { cli_start($w, $now) unless $slot[$w] }
	}
	srv_spawn($now) if $srv{state} eq 'down' && $now >= $srv{retry_at};
	if ($srv{state} eq 'starting' && $now - $log_polled > 0.005) {
		$log_polled = $now;
		$srv{state} = 'up' if slurp($srv{log}) =~ m{serving https://127\.0\.0\.1:\Q$port\E/};
	}
	# (not before the check after its last restart has started)
	if ($srv{pid} && !$srv{killed} && !$ending && $now >= $srv{kill_at} && !$check_wanted) {
		kill 'KILL', $srv{pid};
		$srv{killed} = 1;
	}
	if (!$ending && $now >= $next_cli_kill) {
		my @live = grep { $slot[$_] } 0 .. 2;
		if (@live) {
			my $pid = $slot[ $live[ rand @live ] ];
			kill 'KILL', $pid;
			$cli{$pid}{killed} = 1;
		}
		$next_cli_kill = $now + rand(2 * $CLI_GAP);
	}
	if ($check_wanted && !$checker) {
		$check_wanted = 0;
		check_start();
	}
	sleep 0.0005;
}

# --- wind down: the clients, the writers, the server ---
$kill_seconds ||= time - $t0;
$winding = 1;
kill 'TERM', keys %clients;
my $until = time + 60;
while ((%clients || %cli || $checker) && time < $until) {
	reap(time);
	sleep 0.002;
}
error("clients did not stop: " . join(' ', values %clients)) if %clients;
while ($srv{state} eq 'starting' && time < $until) {
	$srv{state} = 'up' if slurp($srv{log}) =~ /serving https/;
	sleep 0.01;
}
if ($srv{pid}) {
	kill 'TERM', $srv{pid};
	waitpid $srv{pid}, 0;
	my $st = $?;
	my $log = slurp($srv{log});
	error("server: SIGTERM, exit status $st:\n$log") if $st != 0;
	error("server: a sanitizer report:\n$log") if $log =~ /Sanitizer|runtime error/;
	$srv{pid} = 0;
}
for my $role (qw(tsb chn)) {
	my %c = map { split /\t/ } split /\n/, slurp("$T/client-$role.counts");
	$n{"portal_acks_$role"} = $c{acks} // 0;
	$n{"portal_cut_$role"} = $c{cut} // 0;
	$n{"portal_signins_$role"} = $c{signins} // 0;
	my @odd = grep { /^(bad_receipt|status|form)/ } keys %c;
	error("client $role: " . join(', ', map { "$_: $c{$_}" } @odd) . "\n"
		. join("\n", grep { !/^curl: / } split /\n/, slurp("$T/client-$role.log"))) if @odd;
}
my @portal = read_acks(map { "$T/acks-$_.tsv" } qw(tsb chn));
my %acked = map { ("$_->[5] $_->[2]" => 1) } @portal;
for my $role (qw(tsb chn)) {
	for (split /\n/, slurp("$T/tried-$role.tsv")) {
		my @x = split /\t/;
		push @unacked, \@x unless $acked{"$x[0] $x[1]"};
	}
}
spit("$T/acks.tsv", join('', map { join("\t", @$_) . "\n" } @acks, @portal));
spit("$T/unacked.tsv", join('', map { join("\t", @$_) . "\n" } @unacked));
$n{acks} = @acks + @portal;
$n{seed} = $SEED;
$n{kill_seconds} = sprintf '%.1f', $kill_seconds;
$n{check_seconds} = sprintf '%.1f', $check_time;
$n{check_max_acks} = $check_max_acks;
print "# ERROR: $_\n" for map { split /\n/ } @errors;
spit("$T/summary", join('', map { "$_ $n{$_}\n" } sort keys %n));
