# bash completion for ballot(1): commands, subcommands, and each command's
# options as `ballot COMMAND --help` lists them (tests/e2e/46-man.t checks
# that they agree); file names otherwise. Installed as
# share/bash-completion/completions/ballot by `make install`.
_ballot()
{
	local cur=${COMP_WORDS[COMP_CWORD]} i w cmd="" n=0
	COMPREPLY=()
	# the command's words so far (global options and their values skipped)
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db|--config) i=$((i + 1)); continue ;;
		-*) [ -n "$cmd" ] && break; continue ;;
		esac
		if [ $n = 0 ]; then cmd=$w; n=1
		elif [ $n = 1 ] && _ballot_is_sub "$cmd" "$w"; then cmd="$cmd $w"; n=2
		else break
		fi
	done
	if [ $n = 0 ]; then
		case $cur in
		-*) COMPREPLY=($(compgen -W "--config --db --help --quiet --version" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "init members consultation timeline calendar draft reply withdraw tally close decide status pending history export comments forms scan report audit config codes users tokens certs tls serve backup restore check keys receipt publish verify-bundle contacts mail inbox" -- "$cur")) ;;
		esac
		return
	fi
	if [ $n = 1 ] && [[ $cur != -* ]]; then
		local s
		s=$(_ballot_subs "$cmd")
		if [ -n "$s" ] && [ "$COMP_CWORD" = $((i)) ]; then
			COMPREPLY=($(compgen -W "$s" -- "$cur"))
			[ ${#COMPREPLY[@]} -gt 0 ] && return
		fi
	fi
	case $cur in
	-*) COMPREPLY=($(compgen -W "$(_ballot_opts "$cmd")" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}

# _ballot_subs CMD: the subcommands of CMD
_ballot_subs()
{
	case $1 in
	members) echo "import" ;;
	consultation) echo "create list show set-deadline" ;;
	calendar) echo "list add remove import" ;;
	draft) echo "add set list text" ;;
	reply) echo "import" ;;
	config) echo "show" ;;
	audit) echo "verify" ;;
	codes) echo "issue revoke list" ;;
	users) echo "add list" ;;
	tokens) echo "create list revoke" ;;
	certs) echo "issue add revoke list" ;;
	tls) echo "dev-certs" ;;
	keys) echo "create show" ;;
	receipt) echo "show verify" ;;
	contacts) echo "import list set remove" ;;
	mail) echo "send outbox schedule run fetch" ;;
	inbox) echo "list show accept reject" ;;
	esac
}

# _ballot_is_sub CMD WORD: WORD is a subcommand of CMD
_ballot_is_sub()
{
	local s
	for s in $(_ballot_subs "$1"); do [ "$s" = "$2" ] && return 0; done
	return 1
}

# _ballot_opts CMD: the options of CMD, as its --help lists them
_ballot_opts()
{
	case $1 in
	"init") echo "--db --key --members" ;;
	"members") echo "--as-of --json --recode" ;;
	"members import") echo "--recode" ;;
	"consultation create") echo "--circular --date --deadline --electorate --force-deadline --group --meeting-end --meeting-start --reason --rule" ;;
	"consultation list") echo "--group --json" ;;
	"consultation show") echo "--circular --json" ;;
	"consultation set-deadline") echo "--circular --reason" ;;
	"timeline") echo "--circular --json --texts-available" ;;
	"calendar list") echo "--json --year" ;;
	"calendar add") echo "--name" ;;
	"calendar remove") echo "" ;;
	"calendar import") echo "" ;;
	"draft add") echo "--circular --former --rec --revised --source --summary --summary-ar --summary-es --summary-fr --summary-ru --summary-zh --text --texts-available --title --title-ar --title-es --title-fr --title-ru --title-zh" ;;
	"draft set") echo "--circular --draft --summary-ar --summary-es --summary-fr --summary-ru --summary-zh --title-ar --title-es --title-fr --title-ru --title-zh" ;;
	"draft list") echo "--circular --json" ;;
	"draft text") echo "--circular --draft --out" ;;
	"reply") echo "--authorize --channel --circular --comments --draft --event --force --key --late-entry-reason --member --not-authorize --print-receipt --reasons --receipt --receipts --received --ref --signatory --title" ;;
	"reply import") echo "--attachments-from --circular --event --force --key --receipts" ;;
	"withdraw") echo "--channel --circular --draft --force --key --member --print-receipt --receipt --received" ;;
	"tally") echo "--as-of --circular --json" ;;
	"close") echo "--circular" ;;
	"decide") echo "--approved --circular --date --draft --key --more-time --not-approved --opposed-by --print-receipt --receipt --reservation" ;;
	"status") echo "--group --json" ;;
	"pending") echo "--circular --draft --json" ;;
	"history") echo "--circular --json --member" ;;
	"export") echo "--circular --format" ;;
	"comments") echo "--circular --out" ;;
	"scan") echo "--json" ;;
	"forms") echo "--all --blank --circular --jobs --lang --member --out --paper --portal --with-codes" ;;
	"report") echo "--as-of --circular --dir --lang --out --paper" ;;
	"audit verify") echo "--json" ;;
	"config") echo "--force --json" ;;
	"config show") echo "--config --db --json" ;;
	"codes issue") echo "--circular --member" ;;
	"codes revoke") echo "--circular --member" ;;
	"codes list") echo "--circular --json" ;;
	"users add") echo "--cert --group --name --password-file --role" ;;
	"users list") echo "--json" ;;
	"tokens create") echo "--expires --scope --user" ;;
	"tokens list") echo "--json" ;;
	"tokens revoke") echo "" ;;
	"certs issue") echo "--ca --member --out --user" ;;
	"certs add") echo "--member --signing" ;;
	"certs revoke") echo "--fingerprint" ;;
	"certs list") echo "--json" ;;
	"tls dev-certs") echo "--cert --client --out" ;;
	"serve") echo "--cert --client-ca --key --listen --portal --quiet --sign-key --threads" ;;
	"backup") echo "--force" ;;
	"restore") echo "" ;;
	"check") echo "--json" ;;
	"keys create") echo "--key" ;;
	"keys show") echo "--key" ;;
	"receipt show") echo "--event --key --lang --pdf --receipt" ;;
	"receipt verify") echo "--event --key --lang --pdf --receipt" ;;
	"publish") echo "--attachments --circular --key --out" ;;
	"verify-bundle") echo "--key --receipt" ;;
	"contacts import") echo "" ;;
	"contacts list") echo "--json --member" ;;
	"contacts set") echo "--address --lang --member --name --role" ;;
	"contacts remove") echo "--address --member" ;;
	"mail send") echo "--circular --dry-run --key --mail-ca --mail-from --mail-password-file --mail-rate --mail-relay --mail-user --member --portal --what" ;;
	"mail outbox") echo "--circular --json" ;;
	"mail schedule") echo "--circular --reminders" ;;
	"mail run") echo "--circular --dry-run --key --mail-ca --mail-from --mail-password-file --mail-rate --mail-relay --mail-user --portal --what" ;;
	"mail fetch") echo "--mailbox" ;;
	"inbox list") echo "--json" ;;
	"inbox show") echo "" ;;
	"inbox accept") echo "--choice --force --late-entry-reason --received" ;;
	"inbox reject") echo "--reason" ;;
	esac
}
complete -o filenames -F _ballot ballot
