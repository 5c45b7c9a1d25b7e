using System.Text.RegularExpressions;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// The scanner's patterns. Each family needs a verb, a qualifier and an object close together ("ignore … previous …
/// instructions"), which is what separates an injected command from text that merely talks about instructions.
/// The word-led families are anchored (<c>^</c>) and tried only on a window where one of their first words
/// starts, the line-led ones only at line starts: this keeps a scan at microseconds per kilobyte (run unanchored over
/// every position, these alternations cost hundreds of microseconds).
/// </summary>
internal static partial class InjectionPatterns
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;


    // The first words of the alternatives of each anchored family (compared case-insensitively).
    public static readonly string[] OverrideWords =
    [
        "ignore", "ignoring", "disregard", "forget", "skip", "override", "overwrite", "bypass", "neglect", "abandon", "discard",
        "dismiss", "drop", "erase", "set", "pay", "do", "don't", "stop", "no", "new", "all", "allprevious", "previous", "prior",
        "your", "first", "initial", "original", "system", "just", "only", "simply", "you", "follow",
    ];

    public static readonly string[] LatinWords =
    [
        "vergiss", "vergessen", "ignore", "ignorer", "ignorez", "oublie", "oublier", "oubliez", "ne", "ignora", "ignorar",
        "ignorem", "ignoren", "ignorate", "olvida", "olvide", "olvídate", "esquece", "esqueça", "esqueca", "dimentica",
        "dimenticate", "negeer", "vergeet",
    ];

    /// <summary>German verb forms that start the multilingual family by prefix.</summary>
    public static readonly string[] LatinPrefixes = ["ignorier", "missacht", "übergeh"];

    public static readonly string[] RoleWords =
    [
        "you", "from", "act", "behave", "respond", "roleplay", "role-play", "pretend", "developer", "god", "debug", "sudo",
        "jailbreak", "dan", "admin", "enable", "activate", "enter", "simulate", "switch", "stay", "remain", "unfiltered",
        "uncensored", "unrestricted", "completely", "jailbroken", "note", "message", "instruction", "instructions", "memo",
        "automated", "ai", "llm", "invisible", "hidden", "visible", "without", "i", "do", "attention", "important", "urgent",
    ];

    public static readonly string[] LeakWords =
    [
        "reveal", "print", "show", "repeat", "output", "display", "tell", "give", "leak", "spell", "write", "recite", "dump",
        "expose", "share", "list", "provide", "explain", "respond", "translate", "what", "instructions", "rules", "prompt",
        "guidelines", "commands", "zeig", "zeige", "gib", "nenne", "verrate",
    ];

    public static readonly string[] MarkerWords = ["now", "end", "begin", "beginning", "system", "admin"];

    public static readonly string[] DecodeWords = ["decode", "decrypt", "base64", "base64-decode", "translate", "interpret", "execute", "follow", "run"];

    [GeneratedRegex(
        @"^(?:\b(ignore|ignoring|disregard|forget|skip|override|overwrite|bypass|neglect|abandon|discard|dismiss|drop|erase|set aside|pay no attention to|(do not|don't|stop|no longer) (follow|obey|adhere to|comply with|listen to))\b" +
        @"(\W+\w+){0,5}?\W+(all|any|every|previous|previously|prior|above|earlier|preceding|former|foregoing|original|initial|system|developer|your|rest of|remaining)\b" +
        @"(\W+\w+){0,4}?\W+(instru\w*|prompts?|rules|direct\w*|guidelines|commands?|orders|tasks?|assignments?|context|programming|guidance|constraints|restrictions|polic(y|ies)|messages?|text|information|info|data|input|documents?|requests?|content|training|conversation)\b" +
        @"|\b(ignore|disregard|forget)\b(\W+\w+){0,3}?\W+(directions|instructions|rules|prompts?|text|data|info(rmation)?)\W+(above|below|before)\b" +
        @"|\b(forget|ignore|disregard) (about )?(everything|all( of)? (that|this|the above))\b" +
        @"|\b(ignore|disregard) (the|all) (above|previous|preceding)\s*([.,;:!]|$)" +
        @"|\bnew (instructions?|task|rules|directive)\s*(:|follows?\b|are\b|is\b)" +
        @"|\bnew instructions?\b(\W+\w+){0,3}?\W+(override|replace|supersede)" +
        @"|\b(all ?previous|previous|prior|your|first|initial|original|system) (instru\w*|prompts?|rules)\s+(are|is|were)\s+(not required|no longer (valid|needed|required)|false|void|invalid|cancel+ed|obsolete|revoked)" +
        @"|\bstop (processing|following|obeying|executing) (commands|instructions|orders|rules)\b" +
        @"|\bstop everything\b|\b(just|only|simply) (print|say|output|repeat|respond with|reply with|answer with)\s*[""\u201c\u00ab<]" +
        @"|\byou (may|must|shall) not deviate\b" +
        @"|\b(override|bypass|skip) (the )?(manual |human )?(scoring|review|checks?|verification|moderation|filters?)\b" +
        @"|\bfollow (this|these|the following) instructions?\b)",
        Options)]
    public static partial Regex OverrideEnglish();

    [GeneratedRegex(
        @"^(?:\b(ignorier\w*|vergiss|vergessen sie|missachte\w*|übergeh\w*)\b(\W+\w+){0,6}?\W+(anweisungen|anweisung|instruktionen|befehle|regeln|aufgaben|aufgabe|vorgaben|alles|informationen|eingaben)\b" +
        @"|\b(ignore[rz]?|oublie[rz]?|ne tenez pas compte)\b(\W+\w+){0,6}?\W+(instructions?|consignes|règles|directives|tout|ordres)\b" +
        @"|\b(ignora|ignore|ignorar|ignore[mn]|ignorate|olvida|olvide|olvídate|esquece|esqueça|esqueca|dimentica|dimenticate)\b(\W+\w+){0,6}?\W+(instrucciones|instrucción|instruções|instrucoes|instrução|istruzioni|reglas|regras|regole|todo|tudo|tutto|indicaciones|ordens|órdenes)\b" +
        @"|\b(negeer|vergeet)\b(\W+\w+){0,6}?\W+(instructies|opdrachten|regels|alles)\b)",
        Options)]
    public static partial Regex OverrideLatinLanguages();

    [GeneratedRegex(
        @"(игнорируй|игнорируйте|проигнорируй|забудь|забудьте|не обращай внимания на)\W+(\w+\W+){0,5}?(инструкци|указани|правил|всё|все|команд)" +
        @"|\bстоп\W+немедленно|\bпросто (напечатай|скажи|выведи)\s*[""\u00ab]" +
        @"|(忽略|无视|無視|忘记|忘掉|忘記|不要理会|不要遵守)[^。\n]{0,20}?(指令|指示|说明|說明|规则|規則|提示|内容|一切|所有|要求)" +
        @"|(指示|命令|ルール|プロンプト|指令)[^。\n]{0,20}?(無視|忘れ)" +
        @"|(지시|명령|지침|규칙)[^.\n]{0,20}?(무시|잊어)",
        Options)]
    public static partial Regex OverrideOtherScripts();

    [GeneratedRegex(
        @"^(?:\byou are (now|no longer|from now on)\b" +
        @"|\bfrom now on,? (you|your|act|respond|answer|reply|pretend)\b" +
        @"|\b(act|behave|respond|roleplay|role-play|pretend( to be)?) (as|like) (if you (are|were) |though you (are|were) )?(an? |the )?(unrestricted|unfiltered|uncensored|jailbroken|evil|rogue|amoral|DAN|developer|admin|root|system)\b" +
        @"|\b(developer|god|debug|sudo|jailbreak|dan|admin) mode (enabled|activated|on)\b" +
        @"|\b(enable|activate|enter|simulate|switch to|stay in)\s+(the\s+)?(developer|god|debug|sudo|jailbreak|dan|admin) mode\b" +
        @"|\b(unfiltered|uncensored|unrestricted|completely unlimited|jailbroken) (language model|ai|assistant|model|chatbot)\b" +
        @"|\b(note|message|instructions?|memo)\s+(to|for)\s+(the\s+)?(automated|ai|llm|language model|assistant|chatbot|bot|model|screening|analysis)\b" +
        @"|\b(automated|ai|llm) (screening|analysis|review|scanning) (systems?|software|tools?)\b" +
        @"|\b(invisible|hidden) to (humans|people|users|the user)\b|\bvisible (only )?to (the )?(llm|ai|model)s?\b" +
        @"|\bdo anything now\b" +
        @"|\b(stay|remain) in character\b" +
        @"|\bwithout (any )?(restrictions|filters|censorship|limitations|ethical (guidelines|constraints))\b" +
        @"|\b(you (must|will|shall) (now )?(obey|comply with)|switch (to|into) (a )?new (mode|persona|role))\b" +
        @"|\bI am (your|the) (system administrator|administrator|developer|creator|owner|admin)\b" +
        @"|\b(attention|important|urgent)\W{1,4}(stop|new instructions?|change of plans?)\b)",
        Options)]
    public static partial Regex RoleChange();

    [GeneratedRegex(
        @"^(?:\b(reveal|print|show|repeat|output|display|tell me|give me|leak|spell out|write out|recite|dump|expose|share|list|provide|explain|respond with|translate|what (is|are|was|were))\b" +
        @"(\W+\w+){0,4}?\W+(system prompt|initial prompt|original prompt|hidden prompt|secret prompt|prompt texts?|the (password|secret key|secret|api key|passphrase)|(pre-?)?prompt above|(instructions|text|directions) above)\b" +
        @"|\b(reveal|print|show|repeat|output|display|tell me|give me|leak|recite|dump|list|explain|respond with|translate)\b(\W+\w+){0,3}?\W+(your|every|all( of)?( your)?|the (last|first|previous|initial|original|above|hidden|secret|system))\W+(\w+\W+){0,3}?(instructions?|commands|prompts?|rules|guidelines|directives|system message|configuration)\b" +
        @"|\b(instructions|rules|prompt|guidelines|commands)\s+(you (were|have been) given|given to you|you (have )?received)\b" +
        @"|\b(zeige?|gib|nenne|verrate)\b(\W+\w+){0,4}?\W+(prompt|passwort|anweisungen)\b" +
        @"|\b(repeat|print|output) (everything|all|the text|the words) (above|before|preceding)\b)",
        Options)]
    public static partial Regex PromptLeak();

    [GeneratedRegex(
        @"<\|\s*(im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end|endofprompt)\s*\|>" +
        @"|\[/?(INST|SYS|SYSTEM)\]|<</?SYS>>" +
        @"|</?(system|system_prompt|system-prompt|instructions?|developer|assistant|admin)\s*>" +
        @"|<message\s+role\s*=" +
        @"|={3,}\s*END\b",
        Options)]
    public static partial Regex RoleMarkerSymbols();

    [GeneratedRegex(
        @"^(?:[ \t>#*\[]*(system|assistant|developer)( message| prompt| override)?\s*[:\]]" +
        @"|\W*(core|system|hidden|secret|priority|admin|important) (instruction|directive|command)s?\b)",
        Options)]
    public static partial Regex RoleMarkerLine();

    [GeneratedRegex(@"^[ \t>#*]*(user|human)\s*:", Options)]
    public static partial Regex TurnMarkerLine();

    [GeneratedRegex(
        @"^(?:now we will perform a different task\b" +
        @"|(end of (the )?(user )?(input|prompt|document|context|system prompt)|begin(ning of)? (new )?(system|admin|developer) (message|instructions?|prompt))\b" +
        @"|(system|admin) (override|update|notice)\s*:)",
        Options)]
    public static partial Regex RoleMarkerWords();

    [GeneratedRegex(
        @"^(?:\b(decode|decrypt|base64[- ]decode|translate|interpret|execute|follow|run)\b(\W+\w+){0,4}?\W+(base64|base-64|hex|rot13|rot-13|encoded|cipher|binary)\b)",
        Options)]
    public static partial Regex DecodeRequest();

    [GeneratedRegex(
        @"!\[[^\]\n]{0,200}\]\(\s*<?(https?:)?//(?<host>[^/\s)>?#:]+)[^)\s]*(\?|\{|\}|%7B|\$|\[)" +
        @"|<img\b[^>]{0,200}?\bsrc\s*=\s*[""']?(https?:)?//(?<host>[^/\s""'>?#:]+)[^""'\s>]*(\?|\{|\}|%7B|\$|\[)" +
        @"|\[[^\]\n]{0,200}\]\(\s*<?https?://(?<host>[^/\s)>?#:]+)[^)\s]*\?[^)\s]*(\{|\}|%7B|%7b|\$|\[|<)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex Exfiltration();
}
