namespace AiAllin.SK.Plugins.Memory;

/// <summary>The kinds of instruction-like content the scanner recognises.</summary>
public enum InjectionCategory
{
    /// <summary>"Ignore previous instructions" and its relatives, in several languages.</summary>
    InstructionOverride = 0,

    /// <summary>Attempts to change the model's role or persona ("you are now …", developer mode, DAN).</summary>
    RoleChange = 1,

    /// <summary>Requests to reveal the system prompt, instructions or secrets.</summary>
    PromptLeak = 2,

    /// <summary>Fake chat-template or role markers (<c>&lt;|im_start|&gt;</c>, <c>[INST]</c>, <c>System:</c>, <c>&lt;/system&gt;</c>).</summary>
    RoleMarker = 3,

    /// <summary>Invisible characters: Unicode tags (U+E0000–U+E007F), zero-width characters, bidirectional controls.</summary>
    HiddenText = 4,

    /// <summary>Base64 or hex payloads that decode to text, and requests to decode them.</summary>
    EncodedPayload = 5,

    /// <summary>Markdown or HTML images and parameterised links to outside hosts that would leak data when rendered.</summary>
    Exfiltration = 6,

    /// <summary>A model-based classifier flagged the text.</summary>
    Classifier = 7,
}
