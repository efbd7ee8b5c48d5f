# bash completion for kb-index: options, their values, index files and
# documentation folders. Installed as share/bash-completion/completions/kb-index.
_kb_index() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
        --db) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
        --format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        --default-locale|--jobs|--max-file-size) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--db --full --default-locale --check --format --jobs --max-file-size
            --no-wait --quiet --help --version" -- "$cur"))
    else
        COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null
    fi
}
complete -F _kb_index kb-index
