#!/usr/bin/perl
# jp.pl - a tiny jq for the end-to-end tests, in core Perl.
#
# Reads one JSON document on stdin. The text is first validated strictly with
# JSON::PP; then it is parsed again by the small parser below, which keeps the
# keys of each object in document order and numbers as written (so 83.3 stays
# "83.3"), because the tests check key order and number formatting.
#
#   jp.pl get PATH              the value: strings raw, numbers as written,
#                               true/false/null, objects/arrays as compact JSON
#   jp.pl json PATH             the value as JSON (strings quoted)
#   jp.pl type PATH             string|number|bool|null|object|array
#   jp.pl keys PATH             an object's keys, one a line, in document order
#   jp.pl len PATH              length of an array (or number of keys)
#   jp.pl col PATH KEY          KEY of each element of the array at PATH, one a line
#   jp.pl where PATH KEY VAL OUT  OUT of each element whose KEY is VAL (OUT ".":
#                               the whole element)
#   jp.pl pick PATH K1 K2 ...   the object at PATH reduced to K1 K2 ... in this
#                               order, as compact JSON (absent keys: <missing>)
#   jp.pl order PATH K1 K2 ...  exit 0 when K1 K2 ... are all keys of the object
#                               at PATH and appear in this order (others may be
#                               in between); else says what is wrong, exit 1
#
# PATH: "." for the document, ".drafts[0].support" and so on.
# A path that does not exist prints "<missing>" and exits 4; invalid JSON
# prints a message on stderr and exits 3.
use strict;
use warnings;
use JSON::PP ();

binmode STDOUT, ':encoding(UTF-8)';
my $raw = do { local $/; <STDIN> };
$raw = '' unless defined $raw;
unless (eval { JSON::PP->new->utf8->allow_nonref->decode($raw); 1 }) {
	print STDERR "jp: invalid JSON: $@";
	exit 3;
}
my $text = $raw;
utf8::decode($text);

# Values: plain scalar = string; JP::N number; JP::L literal; JP::O object
# (array of [key, value]); JP::A array.
sub ws { $text =~ /\G[ \t\r\n]*/gc }
sub val {
	ws();
	if ($text =~ /\G\{/gc) {
		my @o;
		ws();
		return bless \@o, 'JP::O' if $text =~ /\G\}/gc;
		while (1) {
			ws();
			my $k = val();
			ws();
			$text =~ /\G:/gc or die "jp: expected ':'\n";
			push @o, [$k, val()];
			ws();
			next if $text =~ /\G,/gc;
			$text =~ /\G\}/gc or die "jp: expected '}'\n";
			return bless \@o, 'JP::O';
		}
	}
	if ($text =~ /\G\[/gc) {
		my @a;
		ws();
		return bless \@a, 'JP::A' if $text =~ /\G\]/gc;
		while (1) {
			push @a, val();
			ws();
			next if $text =~ /\G,/gc;
			$text =~ /\G\]/gc or die "jp: expected ']'\n";
			return bless \@a, 'JP::A';
		}
	}
	if ($text =~ /\G("(?:[^"\\]|\\.)*")/gc) {
		return JSON::PP->new->allow_nonref->decode($1);
	}
	if ($text =~ /\G(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/gc) {
		my $n = $1;
		return bless \$n, 'JP::N';
	}
	if ($text =~ /\G(true|false|null)/gc) {
		my $l = $1;
		return bless \$l, 'JP::L';
	}
	die "jp: unexpected input\n";
}
my $doc = val();

sub type_of {
	my ($v) = @_;
	my $r = ref $v;
	return 'string' if $r eq '';
	return 'number' if $r eq 'JP::N';
	return 'object' if $r eq 'JP::O';
	return 'array' if $r eq 'JP::A';
	return $$v eq 'null' ? 'null' : 'bool';
}
sub to_json {
	my ($v) = @_;
	my $r = ref $v;
	return JSON::PP->new->allow_nonref->encode($v) if $r eq '';
	return $$v if $r eq 'JP::N' || $r eq 'JP::L';
	return '[' . join(',', map { to_json($_) } @$v) . ']' if $r eq 'JP::A';
	return '{' . join(',', map { to_json($_->[0]) . ':' . to_json($_->[1]) } @$v) . '}';
}
sub show {
	my ($v) = @_;
	return ref $v eq '' ? $v : to_json($v);
}
sub field {
	my ($o, $k) = @_;
	return undef unless ref $o eq 'JP::O';
	for (@$o) { return $_->[1] if $_->[0] eq $k }
	return undef;
}
sub lookup {
	my ($v, $path) = @_;
	return $v if $path eq '' || $path eq '.';
	pos($path) = 0;
	while (pos($path) < length $path) {
		if ($path =~ /\G\.?\[(\d+)\]/gc) {
			$v = ref $v eq 'JP::A' ? $v->[$1] : undef;
		} elsif ($path =~ /\G\.([^.\[]+)/gc) {
			$v = field($v, $1);
		} elsif ($path =~ /\G\[(\d+)\]/gc) {
			$v = ref $v eq 'JP::A' ? $v->[$1] : undef;
		} else {
			die "jp: bad path $path\n";
		}
		return undef unless defined $v;
	}
	return $v;
}
sub missing { print "<missing>\n"; exit 4 }

my $cmd = shift @ARGV // '';
my $path = shift @ARGV // '.';
my $v = lookup($doc, $path);
if ($cmd eq 'get') {
	missing() unless defined $v;
	print show($v), "\n";
} elsif ($cmd eq 'json') {
	missing() unless defined $v;
	print to_json($v), "\n";
} elsif ($cmd eq 'type') {
	missing() unless defined $v;
	print type_of($v), "\n";
} elsif ($cmd eq 'keys') {
	missing() unless defined $v && ref $v eq 'JP::O';
	print map { "$_->[0]\n" } @$v;
} elsif ($cmd eq 'len') {
	missing() unless defined $v && (ref $v eq 'JP::A' || ref $v eq 'JP::O');
	print scalar(@$v), "\n";
} elsif ($cmd eq 'col') {
	my $k = shift @ARGV;
	missing() unless defined $v && ref $v eq 'JP::A';
	for my $e (@$v) {
		my $f = field($e, $k);
		print defined $f ? show($f) : '<missing>', "\n";
	}
} elsif ($cmd eq 'where') {
	my ($k, $want, $out) = @ARGV;
	missing() unless defined $v && ref $v eq 'JP::A';
	for my $e (@$v) {
		my $f = field($e, $k);
		next unless defined $f && show($f) eq $want;
		my $o = $out eq '.' ? $e : field($e, $out);
		print defined $o ? show($o) : '<missing>', "\n";
	}
} elsif ($cmd eq 'pick') {
	missing() unless defined $v && ref $v eq 'JP::O';
	print '{', join(',', map {
		my $f = field($v, $_);
		to_json($_) . ':' . (defined $f ? to_json($f) : '<missing>')
	} @ARGV), "}\n";
} elsif ($cmd eq 'order') {
	missing() unless defined $v && ref $v eq 'JP::O';
	my @have = map { $_->[0] } @$v;
	my $i = 0;
	for my $k (@ARGV) {
		my $j = $i;
		$j++ while $j < @have && $have[$j] ne $k;
		if ($j == @have) {
			my $present = grep { $_ eq $k } @have;
			print $present ? "key $k out of order: @have\n" : "key $k missing: @have\n";
			exit 1;
		}
		$i = $j + 1;
	}
	print "ok\n";
} else {
	die "jp: unknown command $cmd\n";
}
