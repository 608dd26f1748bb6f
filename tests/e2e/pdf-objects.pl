#!/usr/bin/perl
# pdf-objects.pl - what a PDF's objects say, read through `qpdf --json` (for
# the e2e tests; core Perl only).
#   pdf-objects.pl catalog FILE  Lang=..., DisplayDocTitle=..., Direction=...
#                                (one line each; "-" when absent)
#   pdf-objects.pl fonts FILE    one line per embedded font: its name (subset
#                                tag removed), the number of glyphs of its font
#                                file (maxp), its CIDs (W array), and whether
#                                it has a ToUnicode CMap (yes/no)
use strict;
use warnings;
use JSON::PP;

my ($mode, $file) = @ARGV;
die "usage: pdf-objects.pl catalog|fonts FILE\n" unless $mode && $file;
my $json = `qpdf --json "$file"`;
die "qpdf --json $file failed\n" if $?;
my $objs = decode_json($json)->{qpdf}[1];

sub obj { my ($ref) = @_; $ref =~ /^(\d+) (\d+) R$/ or return undef; return $objs->{"obj:$1 $2 R"}; }
sub val { my ($ref) = @_; my $o = obj($ref) or return $ref; return $o->{value} // $o->{stream}{dict}; }
sub str { my ($s) = @_; return '-' unless defined $s; $s =~ s/^[ub]://; return $s; }

if ($mode eq 'catalog') {
	for my $o (values %$objs) {
		my $v = $o->{value};
		next unless ref $v eq 'HASH' && ($v->{'/Type'} // '') eq '/Catalog';
		my $vp = val($v->{'/ViewerPreferences'} // {});
		my $ddt = $vp->{'/DisplayDocTitle'};
		print "Lang=", str($v->{'/Lang'}), "\n";
		print "DisplayDocTitle=", (defined $ddt ? ($ddt ? 'true' : 'false') : '-'), "\n";
		print "Direction=", $vp->{'/Direction'} // '-', "\n";
	}
} elsif ($mode eq 'fonts') {
	my @out;
	for my $o (values %$objs) {
		my $v = $o->{value};
		next unless ref $v eq 'HASH' && ($v->{'/Subtype'} // '') eq '/Type0';
		my $cid = val($v->{'/DescendantFonts'}[0]);
		my $fd = val($cid->{'/FontDescriptor'});
		(my $num = $fd->{'/FontFile2'} // '') =~ s/ .*//;
		my $ttf = $num ? `qpdf --show-object=$num --filtered-stream-data "$file"` : '';
		my $glyphs = 0;
		my $n = length $ttf >= 12 ? unpack('n', substr($ttf, 4, 2)) : 0;
		for my $i (0 .. $n - 1) {
			my ($tag, undef, $off) = unpack('a4 N N', substr($ttf, 12 + 16 * $i, 12));
			$glyphs = unpack('n', substr($ttf, $off + 4, 2)) if $tag eq 'maxp';
		}
		my $w = val($cid->{'/W'});
		my $cids = ref $w eq 'ARRAY' && ref val($w->[1]) eq 'ARRAY' ? scalar @{ val($w->[1]) } : 0;
		(my $name = $v->{'/BaseFont'}) =~ s{^/[A-Z]{6}\+}{};
		push @out, join(' ', $name, $glyphs, $cids, $v->{'/ToUnicode'} ? 'yes' : 'no') . "\n";
	}
	print sort @out;
} else {
	die "pdf-objects.pl: unknown mode $mode\n";
}
