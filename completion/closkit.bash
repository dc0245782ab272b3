# bash completion for closkit: fabric-gen, fabric-lab, fabricctl,
# capacity-report. Subcommands and options come from each program's own
# --help, so completion never drifts from the program; node names come from
# a bundle's manifest.json, the fabricctl inventory, or the labs that are up.
# Installed once per command name under bash-completion's completions/.

# Subcommands: the first word of the indented lines under "Commands:".
_closkit_commands()
{
	"$1" --help 2>/dev/null | awk '/^Commands:/ { on = 1; next }
		/^[A-Za-z]/ { on = 0 }
		on && /^  [a-z]/ { print $1 }' | sort -u
}

_closkit_options()
{
	"$1" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

_closkit_manifest_nodes() # DIR
{
	[ -f "$1/manifest.json" ] &&
		sed -n 's/^ *"name": "\([^"]*\)",*$/\1/p' "$1/manifest.json"
}

_closkit_lab_nodes() # [LAB]
{
	local d
	for d in /run/closkit/lab/${1:-*}/bundle; do
		_closkit_manifest_nodes "$d"
	done 2>/dev/null
}

# The value of an option already on the command line (--opt VALUE).
_closkit_optval()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		[ "${COMP_WORDS[i]}" = "$1" ] && { echo "${COMP_WORDS[i + 1]}"; return; }
	done
}

# The first word that is not an option (nor an option's value): the command.
_closkit_subcommand()
{
	local i w
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--name | --inventory | -i | --ca | --cert | --key | --templates | -o | --output) ((i++)) ;;
		-*) ;;
		*) echo "$w"; return ;;
		esac
	done
}

_closkit_complete()
{
	local prog=$1 cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd words
	cmd=$(_closkit_subcommand)
	COMPREPLY=()
	case $prev in
	-o | --output | --templates | --ca-dir | --out)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-i | --inventory | --ca | --cert | --key | --links-out | --flows-out | --html | --ready-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--name)
		COMPREPLY=($(compgen -W "$(ls /run/closkit/lab 2>/dev/null)" -- "$cur")); return ;;
	--push)
		COMPREPLY=($(compgen -W "agent direct" -- "$cur")); return ;;
	--only)
		words=$(_closkit_manifest_nodes "${COMP_WORDS[COMP_CWORD - 2]}")
		[ -z "$words" ] && words=$(_closkit_manifest_nodes "$(_closkit_subcommand_arg)")
		COMPREPLY=($(compgen -W "$words" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_closkit_options "$prog")" -- "$cur"))
	elif [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$(_closkit_commands "$prog")" -- "$cur"))
	else
		words=$(_closkit_nodes_for "$prog" "$cmd")
		if [ -n "$words" ]; then
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
	fi
}

# Arguments that are node names, per program and command.
_closkit_nodes_for()
{
	local inv
	case "$1:$2" in
	fabric-lab:exec | fabric-lab:probe | fabric-lab:restart-agent)
		_closkit_lab_nodes "$(_closkit_optval --name)" ;;
	fabricctl:status | fabricctl:history | fabricctl:drain | fabricctl:undrain | fabricctl:rollback | fabricctl:cabling)
		inv=$(_closkit_optval --inventory)
		inv=${inv:-$(_closkit_optval -i)}
		inv=${inv:-$FABRICCTL_INVENTORY}
		[ -f "$inv" ] && awk '!/^#/ && NF { print $1 }' "$inv" ;;
	esac
}

# For --only after `push DIR`: the directory argument of the command.
_closkit_subcommand_arg()
{
	local i seen=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in -*) continue ;; esac
		[ -n "$seen" ] && [ -d "${COMP_WORDS[i]}" ] && { echo "${COMP_WORDS[i]}"; return; }
		seen=1
	done
}

_fabric_gen() { _closkit_complete fabric-gen; }
_fabric_lab() { _closkit_complete fabric-lab; }
_fabricctl() { _closkit_complete fabricctl; }
_capacity_report() { _closkit_complete capacity-report; }
complete -F _fabric_gen fabric-gen
complete -F _fabric_lab fabric-lab
complete -F _fabricctl fabricctl
complete -F _capacity_report capacity-report
