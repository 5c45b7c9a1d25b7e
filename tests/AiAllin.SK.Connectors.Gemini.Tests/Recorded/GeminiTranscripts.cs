namespace AiAllin.SK.Connectors.Gemini.Tests.Recorded;

// Real Gemini API traffic, kept byte for byte for the events that are kept (the streams are trimmed to fewer events).
// Sources:
// - ThinkingStream: google/adk-go, agent/llmagent/testdata/TestLLMAgentStreamingModeSSE.httprr (an httprr recording of
//   generativelanguage.googleapis.com, gemini-2.5-flash, streamGenerateContent?alt=sse with includeThoughts), events
//   1-4 and 16 of 16.
// - ParallelCallsResponse / ParallelCallsAnswer: google/adk-go, agent/llmagent/testdata/
//   TestDelegation_04_ChatToTwoSingleTurnParallel.httprr (gemini-3.5-flash generateContent): two function calls with ids
//   in one response, the thoughtSignature on the first only, finishReason STOP; then the final answer.
// - SignedTextStream: a Vertex AI stream of gemini-3.1-flash-lite-preview captured in GeneralBots/gb out.txt
//   (alm.pragmatismo.com.br/GeneralBots/gb/raw/commit/144c4b0b79e3ada32911f430eda31de3a6fe84fc/out.txt): trafficType
//   and createTime fields, and the signature arriving alone on an empty text part in the final event.
// - QuotaExceeded: the 429 RESOURCE_EXHAUSTED body quoted in google-gemini/gemini-cli issue #8437 (QuotaFailure and
//   Help details), with the RetryInfo detail the API appends to it ("retryDelay": "41s").
internal static class GeminiTranscripts
{
    public const string ThinkingStream = """
        data: {"candidates": [{"content": {"parts": [{"text": "**Calculating Prime Sum**\n\nI've determined the task involves summing the first 50 primes, a simple but specific numerical task. I recognize that a direct computation is needed, since prime numbers lack a predictable series formula. I am now working on a method for identifying these primes and then aggregating them into a single value.\n\n\n","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 28,"totalTokenCount": 98,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 28}],"thoughtsTokenCount": 70},"modelVersion": "gemini-2.5-flash","responseId": "WEXbaMnpF7iPjMcP27mckQE"}

        data: {"candidates": [{"content": {"parts": [{"text": "**Confirming & Summing Primes**\n\nAfter identifying the first 50 primes and cross-checking the list, I'm now focused on the final summation, where accuracy is crucial. I've opted for computational verification of my work. The task reduces to a straightforward sum for quick results. I have confirmed the last prime as 229, and I'm ready to move onto computation.\n\n\n","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 28,"totalTokenCount": 827,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 28}],"thoughtsTokenCount": 799},"modelVersion": "gemini-2.5-flash","responseId": "WEXbaMnpF7iPjMcP27mckQE"}

        data: {"candidates": [{"content": {"parts": [{"text": "**Summarizing the Primes**\n\nAfter identifying and listing the first 50 prime numbers, I used a computational tool (Python script) to calculate their sum. I confirmed the total using an external source (WolframAlpha) to ensure accuracy and have verified the result as 5309. I'm now certain of the solution.\n\n\n","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 28,"totalTokenCount": 1202,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 28}],"thoughtsTokenCount": 1174},"modelVersion": "gemini-2.5-flash","responseId": "WEXbaMnpF7iPjMcP27mckQE"}

        data: {"candidates": [{"content": {"parts": [{"text": "To find the sum of the first 50 prime numbers, we first need to list them and then add them up.\n\nThe first 50 prime numbers are:\n1.  2\n2.  3\n3.  5\n"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 28,"candidatesTokenCount": 47,"totalTokenCount": 1249,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 28}],"thoughtsTokenCount": 1174},"modelVersion": "gemini-2.5-flash","responseId": "WEXbaMnpF7iPjMcP27mckQE"}

        data: {"candidates": [{"content": {"parts": [{"text": "5309**\n\nThe sum of the first 50 prime numbers is 5309."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 28,"candidatesTokenCount": 643,"totalTokenCount": 1845,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 28}],"thoughtsTokenCount": 1174},"modelVersion": "gemini-2.5-flash","responseId": "WEXbaMnpF7iPjMcP27mckQE"}


        """;

    public const string FirstSignature = "EooFCocFAQw51sfGwqe3X5IS4qSBOJjdufQw9YD1r1BPWMhu8f66fgSANhGb+mWpPq4CvOC9sHrqczctSFg0cEjgZP87Em2Xkg7/OzvGR1wyDlOzgAa7nne1rlMr7OiIGzFuVApgbtN1pLawnHgu78HlBBF7rLtb9QFUM0bH0X0fLFfxYYwwRZODR/Q19ALz6bs3NSy5IJq1QCMNHQ5i3f86ZeNoBGBLuq7L2saWrN3EMEEg2YLiL3s8jOScPc3/9Iny+6CxKw39NFIjejGq7fveZ87KQLKlmsnayXvc7JPp+PxsR2rE/Zx+1q+7LlVJdO133M4XK82qRJpudQAqhodlN5gCcxquINHmvx9NsaS91eJbruaFzqXLAGReakICqkAlDBDBSxiHgi/yOov+a3+omlyopboC3YD/HhlF1jWtvfOJJMRYFsqLekz2UXj+IT5Jf0tzrrkSE4cy65HH+1MjnMJJWtnkbRbdXdy2IS86m1QTSHri2RgO6xArVoVXUzNe0i2SO10ZBA78ftWot3VnvgnEuLZZLjHk4s1n+fYaFh+n2dii8EuCgjbQszLYY82RRBkWoGAZ0qeIAYA4nwSMlCMBhfvw5LKjRfOnfhcrGxcqeVzqyPd4JWNKyMtCwn5dkMNwmMAfT/QOF23IwOrwzgX+SsZkwQFGWUDzNFMGGmbRE9WDXvp3ujChLjuBdY1wqjfGE+Vz3e3CWlcHFQqAr7YkDpogx8zyENVVzfbImQ/OGzIoyEd71GQeg4CojuFdEWCJfy39EXs159rGPfQN77umLDQUBqDLRQSTZpAGdNMs5wGC5nmkgXJBa3ZU1hK9M0wTXizwiflPHoTMFgTgnNDztyOfNpDn0SU=";

    public const string ParallelCallsResponse = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "functionCall": {
                      "name": "translator_es",
                      "args": {
                        "request": "good morning"
                      },
                      "id": "rgjcr7hc"
                    },
                    "thoughtSignature": "EooFCocFAQw51sfGwqe3X5IS4qSBOJjdufQw9YD1r1BPWMhu8f66fgSANhGb+mWpPq4CvOC9sHrqczctSFg0cEjgZP87Em2Xkg7/OzvGR1wyDlOzgAa7nne1rlMr7OiIGzFuVApgbtN1pLawnHgu78HlBBF7rLtb9QFUM0bH0X0fLFfxYYwwRZODR/Q19ALz6bs3NSy5IJq1QCMNHQ5i3f86ZeNoBGBLuq7L2saWrN3EMEEg2YLiL3s8jOScPc3/9Iny+6CxKw39NFIjejGq7fveZ87KQLKlmsnayXvc7JPp+PxsR2rE/Zx+1q+7LlVJdO133M4XK82qRJpudQAqhodlN5gCcxquINHmvx9NsaS91eJbruaFzqXLAGReakICqkAlDBDBSxiHgi/yOov+a3+omlyopboC3YD/HhlF1jWtvfOJJMRYFsqLekz2UXj+IT5Jf0tzrrkSE4cy65HH+1MjnMJJWtnkbRbdXdy2IS86m1QTSHri2RgO6xArVoVXUzNe0i2SO10ZBA78ftWot3VnvgnEuLZZLjHk4s1n+fYaFh+n2dii8EuCgjbQszLYY82RRBkWoGAZ0qeIAYA4nwSMlCMBhfvw5LKjRfOnfhcrGxcqeVzqyPd4JWNKyMtCwn5dkMNwmMAfT/QOF23IwOrwzgX+SsZkwQFGWUDzNFMGGmbRE9WDXvp3ujChLjuBdY1wqjfGE+Vz3e3CWlcHFQqAr7YkDpogx8zyENVVzfbImQ/OGzIoyEd71GQeg4CojuFdEWCJfy39EXs159rGPfQN77umLDQUBqDLRQSTZpAGdNMs5wGC5nmkgXJBa3ZU1hK9M0wTXizwiflPHoTMFgTgnNDztyOfNpDn0SU="
                  },
                  {
                    "functionCall": {
                      "name": "translator_fr",
                      "args": {
                        "request": "good morning"
                      },
                      "id": "cu6rg45q"
                    }
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "index": 0,
              "finishMessage": "Model generated function call(s)."
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 186,
            "candidatesTokenCount": 34,
            "totalTokenCount": 349,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 186
              }
            ],
            "thoughtsTokenCount": 129,
            "serviceTier": "standard"
          },
          "modelVersion": "gemini-3.5-flash",
          "responseId": "VnoyavS1H8PmnsEP1uDjsQo"
        }
        """;

    // The model turn adk-go sent back in its next request, as recorded (the parts Gemini 3 checks the signature on).
    public const string ParallelCallsEchoedTurn = """
        {"parts":[{"functionCall":{"args":{"request":"good morning"},"id":"rgjcr7hc","name":"translator_es"},"thoughtSignature":"EooFCocFAQw51sfGwqe3X5IS4qSBOJjdufQw9YD1r1BPWMhu8f66fgSANhGb+mWpPq4CvOC9sHrqczctSFg0cEjgZP87Em2Xkg7/OzvGR1wyDlOzgAa7nne1rlMr7OiIGzFuVApgbtN1pLawnHgu78HlBBF7rLtb9QFUM0bH0X0fLFfxYYwwRZODR/Q19ALz6bs3NSy5IJq1QCMNHQ5i3f86ZeNoBGBLuq7L2saWrN3EMEEg2YLiL3s8jOScPc3/9Iny+6CxKw39NFIjejGq7fveZ87KQLKlmsnayXvc7JPp+PxsR2rE/Zx+1q+7LlVJdO133M4XK82qRJpudQAqhodlN5gCcxquINHmvx9NsaS91eJbruaFzqXLAGReakICqkAlDBDBSxiHgi/yOov+a3+omlyopboC3YD/HhlF1jWtvfOJJMRYFsqLekz2UXj+IT5Jf0tzrrkSE4cy65HH+1MjnMJJWtnkbRbdXdy2IS86m1QTSHri2RgO6xArVoVXUzNe0i2SO10ZBA78ftWot3VnvgnEuLZZLjHk4s1n+fYaFh+n2dii8EuCgjbQszLYY82RRBkWoGAZ0qeIAYA4nwSMlCMBhfvw5LKjRfOnfhcrGxcqeVzqyPd4JWNKyMtCwn5dkMNwmMAfT/QOF23IwOrwzgX+SsZkwQFGWUDzNFMGGmbRE9WDXvp3ujChLjuBdY1wqjfGE+Vz3e3CWlcHFQqAr7YkDpogx8zyENVVzfbImQ/OGzIoyEd71GQeg4CojuFdEWCJfy39EXs159rGPfQN77umLDQUBqDLRQSTZpAGdNMs5wGC5nmkgXJBa3ZU1hK9M0wTXizwiflPHoTMFgTgnNDztyOfNpDn0SU="},{"functionCall":{"args":{"request":"good morning"},"id":"cu6rg45q","name":"translator_fr"}}],"role":"model"}
        """;

    public const string ParallelCallsEchoedResults = """
        {"parts":[{"functionResponse":{"id":"rgjcr7hc","name":"translator_es","response":{"result":"Buenos días"}}},{"functionResponse":{"id":"cu6rg45q","name":"translator_fr","response":{"result":"Bonjour"}}}],"role":"user"}
        """;

    public const string ParallelCallsAnswer = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "text": "In Spanish it is 'Buenos días' and in French it is 'Bonjour'.",
                    "thoughtSignature": "EukCCuYCAQw51sdycoidvxzRzs7jhKJ/lzD4e4DAf6F3ZWDF4Jv/lWRKrsKI3EW1L/IcxPjcgEetONtHKWtSDtcp3mwffwCgYKL/A1B476XoesvicYxoruHrHUjME78+s1M7VRT5faIdhBlU6Z79LvByG7KZnzkmwxMq7MCllqsG+lz24Tqaeg8CIC0PVSlnH8JnEW5tUTA9sRgY/HlURpLjpmR6xTwrGQFfWGwG8IrUIA97mZ2w/4P7sWvAau3pQVTtJQfBrIQzcqkzAKJ7p9cV8NvYz0dr7aUTJ1waxzLQ8EfFPYH9wSLJB53iABlkoDfeZfFU8vPR0SkqDfJNIHTWg5xPcgZef/ZsH9GPXCj1eOUB9O3bLNKYxuEA/Kg9m73r+zGV319e6A6pV0dqOkbze+2JsUG1n6dYDdYFJS5S2y/JZpXl2d5ELWYO0b7I/uQVsCYh6j5hkTNew5Po9SUz9vZguvjs5MNQVA=="
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "index": 0
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 376,
            "candidatesTokenCount": 16,
            "totalTokenCount": 462,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 376
              }
            ],
            "thoughtsTokenCount": 70,
            "serviceTier": "standard"
          },
          "modelVersion": "gemini-3.5-flash",
          "responseId": "WnoyasPtD735nsEPwteEgAo"
        }
        """;

    public const string SignedTextStream = """
        data: {"candidates": [{"content": {"role": "model","parts": [{"text": "Hello!"}]}}],"usageMetadata": {"trafficType": "ON_DEMAND"},"modelVersion": "gemini-3.1-flash-lite-preview","createTime": "2026-03-10T14:54:45.066123Z","responseId": "tTCwacuEBMvnitYP06qsgQY"}

        data: {"candidates": [{"content": {"role": "model","parts": [{"text": " How can I help you today"}]}}],"usageMetadata": {"trafficType": "ON_DEMAND"},"modelVersion": "gemini-3.1-flash-lite-preview","createTime": "2026-03-10T14:54:45.066123Z","responseId": "tTCwacuEBMvnitYP06qsgQY"}

        data: {"candidates": [{"content": {"role": "model","parts": [{"text": "?"}]}}],"usageMetadata": {"trafficType": "ON_DEMAND"},"modelVersion": "gemini-3.1-flash-lite-preview","createTime": "2026-03-10T14:54:45.066123Z","responseId": "tTCwacuEBMvnitYP06qsgQY"}

        data: {"candidates": [{"content": {"role": "model","parts": [{"text": "","thoughtSignature": "AY89a18iOcFus5wr5bW5xN6zZ4aUiCyhgmg6HE2YjtYDV/dwZ5oZlZHeTmiUKv34qq0="}]},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 1,"candidatesTokenCount": 9,"totalTokenCount": 10,"trafficType": "ON_DEMAND","promptTokensDetails": [{"modality": "TEXT","tokenCount": 1}],"candidatesTokensDetails": [{"modality": "TEXT","tokenCount": 9}]},"modelVersion": "gemini-3.1-flash-lite-preview","createTime": "2026-03-10T14:54:45.066123Z","responseId": "tTCwacuEBMvnitYP06qsgQY"}


        """;

    public const string QuotaExceeded = """
        {
          "error": {
            "code": 429,
            "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
              {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                  {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                    "quotaDimensions": {
                      "location": "global",
                      "model": "gemini-2.5-flash-preview-image"
                    }
                  }
                ]
              },
              {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [
                  {
                    "description": "Learn more about Gemini API quotas",
                    "url": "https://ai.google.dev/gemini-api/docs/rate-limits"
                  }
                ]
              },
              {
                "@type": "type.googleapis.com/google.rpc.RetryInfo",
                "retryDelay": "41s"
              }
            ]
          }
        }
        """;
}
