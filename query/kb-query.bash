# bash completion for kb-query: options, their values, and index files.
# Installed as share/bash-completion/completions/kb-query.
_kb_query() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
        --db) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
        -f|--format) COMPREPLY=($(compgen -W "text markdown json" -- "$cur")); return ;;
        --color|--colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        -l|--lang) COMPREPLY=($(compgen -W "en es ja zh de fr pt it ko ru" -- "$cur")); return ;;
        -n|--limit|--offset|--locale-only|--doc-prefix|--show|--toc) return ;;
    esac
    if [[ $cur == --* ]]; then
        COMPREPLY=($(compgen -W "--db --limit --offset --format --lang --all-locales --locale-only
            --doc-prefix --exact --show --toc --full --color --serve --version --help" -- "$cur"))
    fi
}
complete -F _kb_query kb-query
