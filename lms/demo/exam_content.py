# ruff: noqa: E501
"""Demo skill standards and question banks for CBEC Academy (data only).

Two standards owned by a government body. Each has four weighted competencies,
three levels and 42 questions in the neutral question format: for every
(competency, difficulty) three objective questions, plus one essay and one
practical task per difficulty.
"""

PO_QUESTIONS: list[dict] = [
    # ---------------- listing, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "In Amazon's search ranking (often called A9/A10), to which factor group does a listing's **conversion rate** belong?",
            "zh-hans": "在亚马逊搜索排序（常称 A9/A10）中，商品的**转化率**属于哪一类因素？",
        },
        "points": "1",
        "competency": "listing",
        "difficulty": 1,
        "title": "A9 factor groups",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "Relevance", "zh-hans": "相关性"}},
                {"id": "b", "text": {"en": "Performance", "zh-hans": "表现（销售表现）"}},
                {"id": "c", "text": {"en": "Availability", "zh-hans": "可售性"}},
                {"id": "d", "text": {"en": "Brand registry status", "zh-hans": "品牌备案状态"}},
            ]
        },
        "key": {"correct": "b"},
        "feedback": {
            "en": "Conversion rate, click-through rate and sales velocity are performance signals: they show whether shoppers actually buy after seeing the listing. Relevance is about keyword match.",
            "zh-hans": "转化率、点击率和销售速度都是表现类信号，反映买家看到商品后是否真的购买；相关性指的是关键词匹配。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "Repeating the same keyword five or six times in an Amazon title improves the listing's ranking for that keyword.",
            "zh-hans": "在亚马逊标题中把同一个关键词重复五六次，可以提高该词的排名。",
        },
        "points": "1",
        "competency": "listing",
        "difficulty": 1,
        "title": "Keyword stuffing",
        "content": {},
        "key": {"correct": False},
        "feedback": {
            "en": "One mention is enough for indexing; Amazon's title rules limit a word to two appearances, and stuffing lowers readability and conversion.",
            "zh-hans": "关键词出现一次即可被收录；亚马逊标题规则规定同一个词最多出现两次，堆砌关键词会降低可读性和转化率。",
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "On Amazon US the backend Search Terms field must be under [[1]] bytes, and the main image background must be pure white with the RGB value [[2]].",
            "zh-hans": "亚马逊美国站后台 Search Terms 字段须少于 [[1]] 字节；主图背景必须是纯白色，RGB 值为 [[2]]。",
        },
        "points": "2",
        "competency": "listing",
        "difficulty": 1,
        "title": "Listing limits",
        "content": {"blanks": 2},
        "key": {
            "blanks": [
                {"accepted": ["250", "250 bytes", "250字节", "250 字节"]},
                {
                    "accepted": [
                        "255,255,255",
                        "255, 255, 255",
                        "255 255 255",
                        "(255,255,255)",
                        "(255, 255, 255)",
                        "#FFFFFF",
                        "FFFFFF",
                    ]
                },
            ],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "Backend search terms over 250 bytes may be ignored entirely; the main image must be pure white, RGB 255, 255, 255.",
            "zh-hans": "后台搜索词超过 250 字节可能整体不被收录；主图背景必须是纯白，RGB 255, 255, 255。",
        },
    },
    # ---------------- listing, difficulty 2 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "You are launching a new bamboo cutting board in a category where the top 10 listings each have more than 5,000 reviews. Which keywords should your listing and ads target **first**?",
            "zh-hans": "你要在一个前 10 名商品评论都超过 5,000 条的类目上架一款新的竹制砧板。页面和广告应当**优先**针对哪类关键词？",
        },
        "points": "2",
        "competency": "listing",
        "difficulty": 2,
        "title": "Keyword priority for a new listing",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": 'The head term "cutting board"',
                        "zh-hans": '大词 "cutting board"',
                    },
                },
                {"id": "b", "text": {"en": "Competitors' brand names", "zh-hans": "竞品的品牌名"}},
                {
                    "id": "c",
                    "text": {
                        "en": 'Long-tail terms such as "bamboo cutting board set with juice groove"',
                        "zh-hans": '长尾词，如 "bamboo cutting board set with juice groove"',
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Trending terms unrelated to the product",
                        "zh-hans": "与产品无关的热门词",
                    },
                },
            ]
        },
        "key": {"correct": "c"},
        "feedback": {
            "en": "Long-tail terms have less competition, cheaper clicks and higher purchase intent, so a new listing can earn sales and ranking on them first. Competitors' brands must not be used in your copy.",
            "zh-hans": "长尾词竞争小、点击便宜、购买意图强，新品可以先在这些词上积累销量和排名。文案中不得使用竞品品牌名。",
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": "Match each listing element with the correct rule.",
            "zh-hans": "将每个商品页面元素与对应的规则配对。",
        },
        "points": "2",
        "competency": "listing",
        "difficulty": 2,
        "title": "Listing element rules",
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "Amazon title", "zh-hans": "亚马逊标题"}},
                {"id": "p2", "text": {"en": "eBay title", "zh-hans": "eBay 标题"}},
                {"id": "p3", "text": {"en": "Amazon bullet points", "zh-hans": "亚马逊五点描述"}},
                {"id": "p4", "text": {"en": "Amazon main image", "zh-hans": "亚马逊主图"}},
            ],
            "choices": [
                {"id": "c1", "text": {"en": "Up to 80 characters", "zh-hans": "最多 80 个字符"}},
                {
                    "id": "c2",
                    "text": {
                        "en": "Product fills at least 85% of a pure white frame",
                        "zh-hans": "纯白背景，产品占画面至少 85%",
                    },
                },
                {
                    "id": "c3",
                    "text": {
                        "en": "Up to 200 characters, a word at most twice",
                        "zh-hans": "最多 200 个字符，同一个词最多出现两次",
                    },
                },
                {
                    "id": "c4",
                    "text": {"en": "Five key product features", "zh-hans": "五条产品要点"},
                },
                {
                    "id": "c5",
                    "text": {
                        "en": "Must include the price in the text",
                        "zh-hans": "文字中必须包含价格",
                    },
                },
            ],
        },
        "key": {"pairs": {"p1": "c3", "p2": "c1", "p3": "c4", "p4": "c2"}},
        "feedback": {
            "en": "Amazon titles: 200 characters; eBay titles: 80; Amazon gives five bullet points; the main image must be on pure white with the product filling 85%+. Prices never belong in titles or bullets.",
            "zh-hans": "亚马逊标题 200 字符，eBay 标题 80 字符；亚马逊有五条要点；主图须纯白背景且产品占 85% 以上。价格不应写进标题或要点。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": "Which of the following would cause an Amazon **main image** to break the image rules? Select all that apply.",
            "zh-hans": "以下哪些情况会使亚马逊**主图**违反图片规则？请选出所有正确项。",
        },
        "points": "3",
        "competency": "listing",
        "difficulty": 2,
        "title": "Main image violations",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": 'A "Best Seller 2025" badge in the corner',
                        "zh-hans": '角落里加了 "Best Seller 2025" 徽标',
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "An off-white background (RGB 245, 245, 245)",
                        "zh-hans": "米白背景（RGB 245, 245, 245）",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "The product fills 90% of the frame",
                        "zh-hans": "产品占画面 90%",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "A lemon and a knife as props that are not included in the sale",
                        "zh-hans": "摆放了不随货附送的柠檬和刀作为道具",
                    },
                },
                {
                    "id": "e",
                    "text": {
                        "en": "The image is 2000 × 2000 px",
                        "zh-hans": "图片尺寸为 2000 × 2000 像素",
                    },
                },
            ]
        },
        "key": {"correct": ["a", "b", "d"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "Badges/text, non-pure-white backgrounds and props that are not sold are all prohibited. Filling 90% of the frame and using 2000 px images are good practice.",
            "zh-hans": "徽标或文字、非纯白背景、不随货附送的道具都不允许。产品占 90% 和 2000 像素的图片都是推荐做法。",
        },
    },
    # ---------------- listing, difficulty 3 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "A seller pasted 280 bytes of keywords into the Amazon US backend Search Terms field. What is the most likely result?",
            "zh-hans": "某卖家在亚马逊美国站后台 Search Terms 字段中填入了 280 字节的关键词。最可能的结果是什么？",
        },
        "points": "2",
        "competency": "listing",
        "difficulty": 3,
        "title": "Search terms over the limit",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Amazon indexes the first 250 bytes and drops the rest",
                        "zh-hans": "亚马逊收录前 250 字节，丢弃其余部分",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Amazon indexes all 280 bytes",
                        "zh-hans": "亚马逊收录全部 280 字节",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "The words are moved into the title automatically",
                        "zh-hans": "这些词会被自动移入标题",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "The whole field may be ignored, so none of those terms are indexed",
                        "zh-hans": "整个字段可能不被收录，这些词全部失效",
                    },
                },
            ]
        },
        "key": {"correct": "d"},
        "feedback": {
            "en": "Amazon's guidance is that exceeding the limit can cause the entire Search Terms field not to be indexed, so always measure bytes, not characters (accented letters use 2 bytes).",
            "zh-hans": "亚马逊说明超出限制可能导致整个 Search Terms 字段都不被收录，所以要按字节而不是字符计算（带重音字母占 2 个字节）。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": "Which of the following should **not** be entered in Amazon backend search terms? Select all that apply.",
            "zh-hans": "以下哪些内容**不应**填写在亚马逊后台搜索词中？请选出所有正确项。",
        },
        "points": "3",
        "competency": "listing",
        "difficulty": 3,
        "title": "Backend search term content",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "A competitor's brand name", "zh-hans": "竞品品牌名"}},
                {
                    "id": "b",
                    "text": {
                        "en": 'Synonyms not used in the title, e.g. "chopping block"',
                        "zh-hans": '标题中未使用的同义词，如 "chopping block"',
                    },
                },
                {
                    "id": "c",
                    "text": {"en": "Words already in the title", "zh-hans": "标题中已有的词"},
                },
                {
                    "id": "d",
                    "text": {
                        "en": 'Subjective claims such as "best" or "cheapest"',
                        "zh-hans": '"best"、"cheapest" 等主观宣传词',
                    },
                },
                {
                    "id": "e",
                    "text": {
                        "en": 'Spanish terms for Spanish-speaking US shoppers, e.g. "tabla de cortar"',
                        "zh-hans": '面向美国西语买家的西班牙语词，如 "tabla de cortar"',
                    },
                },
            ]
        },
        "key": {"correct": ["a", "c", "d"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "Other brands, repeated title words and subjective claims waste bytes or break policy. Synonyms and Spanish equivalents are exactly what the field is for.",
            "zh-hans": "他人品牌、与标题重复的词和主观宣传词要么浪费字节，要么违反政策；同义词和西班牙语对应词正是这个字段的用途。",
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "An eBay listing title may contain at most [[1]] characters. On Amazon, brand-registered sellers can A/B test titles and main images with a tool called [[2]].",
            "zh-hans": "eBay 刊登标题最多 [[1]] 个字符。在亚马逊上，完成品牌备案的卖家可以用名为 [[2]] 的工具对标题和主图做 A/B 测试。",
        },
        "points": "2",
        "competency": "listing",
        "difficulty": 3,
        "title": "eBay title and Amazon experiments",
        "content": {"blanks": 2},
        "key": {
            "blanks": [
                {"accepted": ["80", "80个", "80 个"]},
                {
                    "accepted": [
                        "Manage Your Experiments",
                        "MYE",
                        "管理实验",
                        "管理您的实验",
                        "管理你的实验",
                    ]
                },
            ],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "eBay titles are limited to 80 characters. Amazon's built-in A/B testing tool is Manage Your Experiments, available for eligible brand-registered ASINs.",
            "zh-hans": 'eBay 标题限 80 个字符。亚马逊内置的 A/B 测试工具是"管理实验"（Manage Your Experiments），适用于符合条件的品牌备案 ASIN。',
        },
    },
    # ---------------- advertising, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "Which Sponsored Products campaign type is best for **discovering** the search terms real customers use for your product?",
            "zh-hans": "哪种商品推广广告类型最适合**挖掘**买家搜索你的产品时实际使用的搜索词？",
        },
        "points": "1",
        "competency": "advertising",
        "difficulty": 1,
        "title": "Discovery campaign",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {"en": "Automatic targeting campaign", "zh-hans": "自动投放广告"},
                },
                {
                    "id": "b",
                    "text": {"en": "Manual exact-match campaign", "zh-hans": "手动精准匹配广告"},
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Manual product targeting on one competitor ASIN",
                        "zh-hans": "针对单个竞品 ASIN 的手动商品投放",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "A campaign with only negative keywords",
                        "zh-hans": "只有否定关键词的广告活动",
                    },
                },
            ]
        },
        "key": {"correct": "a"},
        "feedback": {
            "en": "In automatic campaigns Amazon matches your listing to queries, and the search term report reveals which ones bring clicks and orders.",
            "zh-hans": "自动广告由亚马逊根据页面匹配搜索词，搜索词报告会显示哪些词带来了点击和订单。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "ROAS is the reciprocal of ACoS: an ACoS of 25% corresponds to a ROAS of 4.",
            "zh-hans": "ROAS 是 ACoS 的倒数：ACoS 为 25% 时，ROAS 为 4。",
        },
        "points": "1",
        "competency": "advertising",
        "difficulty": 1,
        "title": "ACoS and ROAS",
        "content": {},
        "key": {"correct": True},
        "feedback": {
            "en": "ACoS = spend ÷ sales and ROAS = sales ÷ spend, so ROAS = 1 ÷ ACoS = 1 ÷ 0.25 = 4.",
            "zh-hans": "ACoS = 花费 ÷ 销售额，ROAS = 销售额 ÷ 花费，因此 ROAS = 1 ÷ ACoS = 1 ÷ 0.25 = 4。",
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": 'Match each keyword match type with the customer search it would match for the keyword **"yoga mat"**.',
            "zh-hans": '针对关键词 **"yoga mat"**，将每种匹配方式与它能匹配到的买家搜索配对。',
        },
        "points": "2",
        "competency": "advertising",
        "difficulty": 1,
        "title": "Match types",
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "Exact", "zh-hans": "精准匹配"}},
                {"id": "p2", "text": {"en": "Phrase", "zh-hans": "词组匹配"}},
                {"id": "p3", "text": {"en": "Broad", "zh-hans": "广泛匹配"}},
            ],
            "choices": [
                {
                    "id": "c1",
                    "text": {
                        "en": '"thick yoga mat for women" (the phrase in order, with extra words)',
                        "zh-hans": '"thick yoga mat for women"（按顺序包含词组，另有其他词）',
                    },
                },
                {
                    "id": "c2",
                    "text": {
                        "en": '"yoga mats" (the term or a very close variant)',
                        "zh-hans": '"yoga mats"（该词本身或极相近的变体）',
                    },
                },
                {
                    "id": "c3",
                    "text": {
                        "en": '"exercise mat for pilates and yoga" (words in any order, related terms)',
                        "zh-hans": '"exercise mat for pilates and yoga"（词序不限，含相关词）',
                    },
                },
                {
                    "id": "c4",
                    "text": {
                        "en": "Nothing – the keyword blocks all searches",
                        "zh-hans": "不匹配任何搜索，该词屏蔽所有流量",
                    },
                },
            ],
        },
        "key": {"pairs": {"p1": "c2", "p2": "c1", "p3": "c3"}},
        "feedback": {
            "en": "Exact matches the term and close variants such as plurals; phrase requires the phrase in order; broad allows any order and related words. Blocking is what negative keywords do.",
            "zh-hans": "精准匹配只匹配该词及复数等极相近变体；词组匹配要求按顺序包含词组；广泛匹配词序不限并可含相关词。屏蔽流量是否定关键词的作用。",
        },
    },
    # ---------------- advertising, difficulty 2 ----------------
    {
        "kind": "numeric",
        "text": {
            "en": "Last week a Sponsored Products campaign spent **USD 450** and generated **USD 1,800** in attributed sales. What was its ACoS? Give the answer as a percentage.",
            "zh-hans": "上周某商品推广广告花费 **450 美元**，带来 **1,800 美元**广告销售额。该广告的 ACoS 是多少？请以百分数作答。",
        },
        "points": "2",
        "competency": "advertising",
        "difficulty": 2,
        "title": "Calculate ACoS",
        "content": {"unit": "%"},
        "key": {"value": "25", "tolerance": "0.1", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "ACoS = ad spend ÷ ad sales = 450 ÷ 1,800 = 0.25 = 25%.",
            "zh-hans": "ACoS = 广告花费 ÷ 广告销售额 = 450 ÷ 1,800 = 0.25 = 25%。",
        },
    },
    {
        "kind": "single_choice",
        "text": {
            "en": "An exact-match keyword received 200 clicks at an average CPC of USD 1.20 and produced 4 orders of a USD 25 product. The product's break-even ACoS is 30%. What is the most sensible action?",
            "zh-hans": "某精准匹配关键词获得 200 次点击，平均单次点击成本 1.20 美元，带来 4 单（售价 25 美元）。该产品的盈亏平衡 ACoS 为 30%。最合理的做法是什么？",
        },
        "points": "2",
        "competency": "advertising",
        "difficulty": 2,
        "title": "Unprofitable keyword",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Raise the bid to win the top-of-search placement",
                        "zh-hans": "提高竞价，争取搜索结果顶部位置",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Cut the bid sharply or pause it, and check whether the term is really relevant",
                        "zh-hans": "大幅降低竞价或暂停，并检查该词是否真的相关",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Change it to broad match to get more traffic",
                        "zh-hans": "改成广泛匹配以获取更多流量",
                    },
                },
                {
                    "id": "d",
                    "text": {"en": "Double the campaign budget", "zh-hans": "把广告预算翻倍"},
                },
            ]
        },
        "key": {"correct": "b"},
        "feedback": {
            "en": "Spend is 200 × 1.20 = USD 240 for USD 100 of sales: ACoS 240%, eight times break-even. The keyword loses money; reduce or stop spend and investigate relevance before anything else.",
            "zh-hans": "花费 200 × 1.20 = 240 美元，销售额 100 美元，ACoS 高达 240%，是盈亏平衡点的 8 倍。这个词在亏钱，应先降价或暂停，并排查相关性。",
        },
    },
    {
        "kind": "ordering",
        "text": {
            "en": "Put the steps of the weekly **search-term harvesting** routine in the correct order.",
            "zh-hans": "将每周**搜索词收割**流程的步骤按正确顺序排列。",
        },
        "points": "2",
        "competency": "advertising",
        "difficulty": 2,
        "title": "Search-term harvesting",
        "content": {
            "items": [
                {
                    "id": "i1",
                    "text": {
                        "en": "Add the harvested terms as negative exact in the automatic campaign",
                        "zh-hans": "在自动广告中把已收割的词设为精准否定",
                    },
                },
                {
                    "id": "i2",
                    "text": {
                        "en": "Run an automatic campaign to collect data",
                        "zh-hans": "运行自动广告收集数据",
                    },
                },
                {
                    "id": "i3",
                    "text": {
                        "en": "Add converting terms to a manual exact-match campaign",
                        "zh-hans": "把出单的词加入手动精准匹配广告",
                    },
                },
                {
                    "id": "i4",
                    "text": {
                        "en": "Download the search term report and filter terms with orders",
                        "zh-hans": "下载搜索词报告，筛选出有订单的词",
                    },
                },
            ]
        },
        "key": {"order": ["i2", "i4", "i3", "i1"], "scoring": "partial"},
        "feedback": {
            "en": "Collect data with auto, find converting terms in the report, give them their own exact-match campaign, then negate them in auto so the two campaigns do not compete for the same query.",
            "zh-hans": "先用自动广告收集数据，在报告中找出出单词，为它们建立精准匹配广告，再在自动广告中否定，避免两个广告活动争抢同一搜索词。",
        },
    },
    # ---------------- advertising, difficulty 3 ----------------
    {
        "kind": "numeric",
        "text": {
            "en": "A product sells for **USD 30**. Its profit margin before advertising is **35%**, and its ad conversion rate (orders ÷ clicks) is **10%**. What is the highest average cost per click (CPC) you can pay without losing money on ad-driven orders? Answer in USD.",
            "zh-hans": "某产品售价 **30 美元**，广告前利润率 **35%**，广告转化率（订单 ÷ 点击）为 **10%**。在广告订单不亏钱的前提下，平均单次点击成本（CPC）最高能出多少美元？",
        },
        "points": "3",
        "competency": "advertising",
        "difficulty": 3,
        "title": "Break-even CPC",
        "content": {"unit": "USD"},
        "key": {"value": "1.05", "tolerance": "0.01", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "Profit available per order = 30 × 35% = USD 10.50. With 10% conversion you need 10 clicks per order, so break-even CPC = 10.50 ÷ 10 = USD 1.05.",
            "zh-hans": "每单可用于广告的利润 = 30 × 35% = 10.50 美元；转化率 10% 意味着每 10 次点击出 1 单，所以盈亏平衡 CPC = 10.50 ÷ 10 = 1.05 美元。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": "Over eight weeks a product's total sales rose from USD 20,000 to USD 32,000 per month while ad spend rose from USD 3,000 to USD 3,600. Which statements are correct? Select all that apply.",
            "zh-hans": "八周内，某产品月总销售额从 20,000 美元增至 32,000 美元，广告花费从 3,000 美元增至 3,600 美元。以下哪些说法正确？请选出所有正确项。",
        },
        "points": "3",
        "competency": "advertising",
        "difficulty": 3,
        "title": "Reading TACoS",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "TACoS fell from 15% to 11.25%",
                        "zh-hans": "TACoS 从 15% 降到 11.25%",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Advertising appears to be lifting organic sales",
                        "zh-hans": "广告似乎带动了自然销量",
                    },
                },
                {"id": "c", "text": {"en": "ACoS must have risen", "zh-hans": "ACoS 一定上升了"}},
                {
                    "id": "d",
                    "text": {
                        "en": "The product now depends more on ads than before",
                        "zh-hans": "该产品比以前更依赖广告",
                    },
                },
            ]
        },
        "key": {"correct": ["a", "b"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "TACoS = spend ÷ total sales: 3,000 ÷ 20,000 = 15% and 3,600 ÷ 32,000 = 11.25%. Falling TACoS with rising sales means organic sales are growing faster than ad spend. Nothing here tells us ACoS, which uses ad sales only.",
            "zh-hans": "TACoS = 广告花费 ÷ 总销售额：3,000 ÷ 20,000 = 15%，3,600 ÷ 32,000 = 11.25%。销售增长而 TACoS 下降，说明自然销量比广告花费增长更快。题中没有广告销售额，无法判断 ACoS。",
        },
    },
    {
        "kind": "single_choice",
        "text": {
            "en": "During a launch you accept a 45% ACoS although break-even is 30%. Which condition makes this a sound decision rather than simply losing money?",
            "zh-hans": "新品期你接受了 45% 的 ACoS，而盈亏平衡点是 30%。在什么条件下，这是合理决策而不是单纯亏钱？",
        },
        "points": "2",
        "competency": "advertising",
        "difficulty": 3,
        "title": "Launch ACoS",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "The product has no reviews yet",
                        "zh-hans": "产品还没有任何评论",
                    },
                },
                {
                    "id": "b",
                    "text": {"en": "Competitors also run ads", "zh-hans": "竞品也在投广告"},
                },
                {
                    "id": "c",
                    "text": {
                        "en": "The campaign uses broad match only",
                        "zh-hans": "广告只用广泛匹配",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Organic rank on target keywords is rising and there is a planned end date and budget cap for the loss",
                        "zh-hans": "目标关键词的自然排名在上升，且对这笔亏损设定了截止时间和预算上限",
                    },
                },
            ]
        },
        "key": {"correct": "d"},
        "feedback": {
            "en": "Overspending on ads is an investment only if it buys something measurable – organic rank and sales that continue after the push – and only within a planned time and budget.",
            "zh-hans": "超额投放只有在换来可衡量的结果（推广结束后仍能持续的自然排名和销量），并且控制在计划的时间和预算内时，才算投资。",
        },
    },
    # ---------------- data, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "Which Amazon report shows **sessions** and **unit session percentage** for each child ASIN?",
            "zh-hans": "哪份亚马逊报告能按子 ASIN 显示**会话数**和**单位会话百分比**？",
        },
        "points": "1",
        "competency": "data",
        "difficulty": 1,
        "title": "Business report",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Sponsored Products search term report",
                        "zh-hans": "商品推广搜索词报告",
                    },
                },
                {"id": "b", "text": {"en": "Inventory ledger", "zh-hans": "库存分类账"}},
                {
                    "id": "c",
                    "text": {
                        "en": "Detail Page Sales and Traffic by Child Item",
                        "zh-hans": "按子商品详情页面上的销售量与访问量",
                    },
                },
                {
                    "id": "d",
                    "text": {"en": "Payments date range report", "zh-hans": "付款日期范围报告"},
                },
            ]
        },
        "key": {"correct": "c"},
        "feedback": {
            "en": 'The business report "Detail Page Sales and Traffic by Child Item" lists sessions, page views, Buy Box percentage, units ordered and unit session percentage per child ASIN.',
            "zh-hans": '业务报告中的"按子商品详情页面上的销售量与访问量"按子 ASIN 列出会话数、页面浏览量、购物车百分比、已订购商品数量和单位会话百分比。',
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "Amazon's conversion metric is called [[1]]. It is calculated as units ordered divided by [[2]].",
            "zh-hans": "亚马逊的转化率指标叫作 [[1]]，计算方法是已订购商品数量除以 [[2]]。",
        },
        "points": "2",
        "competency": "data",
        "difficulty": 1,
        "title": "Unit session percentage",
        "content": {"blanks": 2},
        "key": {
            "blanks": [
                {
                    "accepted": [
                        "Unit Session Percentage",
                        "unit session %",
                        "unit session percent",
                        "单位会话百分比",
                        "单位会话比",
                    ]
                },
                {"accepted": ["sessions", "session", "会话数", "会话", "会话次数"]},
            ],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "Unit session percentage = units ordered ÷ sessions.",
            "zh-hans": "单位会话百分比 = 已订购商品数量 ÷ 会话数。",
        },
    },
    {
        "kind": "numeric",
        "text": {
            "en": "Last month an ASIN had **2,400 sessions** and **192 units ordered**. What was its unit session percentage? Answer as a percentage.",
            "zh-hans": "上个月某 ASIN 有 **2,400 次会话**，已订购商品 **192 件**。它的单位会话百分比是多少？请以百分数作答。",
        },
        "points": "2",
        "competency": "data",
        "difficulty": 1,
        "title": "Calculate conversion rate",
        "content": {"unit": "%"},
        "key": {"value": "8", "tolerance": "0.1", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "192 ÷ 2,400 = 0.08 = 8%.",
            "zh-hans": "192 ÷ 2,400 = 0.08 = 8%。",
        },
    },
    # ---------------- data, difficulty 2 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "Week on week, an ASIN's sessions fell by 35% while its unit session percentage stayed at about 11%. What should you check **first**?",
            "zh-hans": "某 ASIN 的会话数环比下降 35%，而单位会话百分比保持在 11% 左右。你应该**首先**检查什么？",
        },
        "points": "2",
        "competency": "data",
        "difficulty": 2,
        "title": "Diagnose a traffic drop",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Organic rank on core keywords, ad budgets running out early, and Buy Box ownership",
                        "zh-hans": "核心关键词自然排名、广告预算是否提前花完、购物车是否丢失",
                    },
                },
                {"id": "b", "text": {"en": "Rewrite the bullet points", "zh-hans": "重写五点描述"}},
                {"id": "c", "text": {"en": "Raise the price", "zh-hans": "提高售价"}},
                {"id": "d", "text": {"en": "Change the product colour", "zh-hans": "更换产品颜色"}},
            ]
        },
        "key": {"correct": "a"},
        "feedback": {
            "en": "Stable conversion with fewer sessions points to a traffic problem – rank, ads, suppression or Buy Box – not to the page content.",
            "zh-hans": "转化稳定而会话减少，说明是流量问题（排名、广告、页面屏蔽或购物车），而不是页面内容问题。",
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": "Match each metric with its formula.",
            "zh-hans": "将每个指标与其计算公式配对。",
        },
        "points": "3",
        "competency": "data",
        "difficulty": 2,
        "title": "Metric formulas",
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "CTR", "zh-hans": "点击率（CTR）"}},
                {"id": "p2", "text": {"en": "ACoS", "zh-hans": "ACoS"}},
                {"id": "p3", "text": {"en": "TACoS", "zh-hans": "TACoS"}},
                {"id": "p4", "text": {"en": "CPC", "zh-hans": "单次点击成本（CPC）"}},
            ],
            "choices": [
                {
                    "id": "c1",
                    "text": {"en": "ad spend ÷ total sales", "zh-hans": "广告花费 ÷ 总销售额"},
                },
                {"id": "c2", "text": {"en": "clicks ÷ impressions", "zh-hans": "点击 ÷ 曝光"}},
                {"id": "c3", "text": {"en": "ad spend ÷ clicks", "zh-hans": "广告花费 ÷ 点击"}},
                {
                    "id": "c4",
                    "text": {"en": "ad spend ÷ ad sales", "zh-hans": "广告花费 ÷ 广告销售额"},
                },
                {
                    "id": "c5",
                    "text": {"en": "ad sales ÷ ad spend", "zh-hans": "广告销售额 ÷ 广告花费"},
                },
            ],
        },
        "key": {"pairs": {"p1": "c2", "p2": "c4", "p3": "c1", "p4": "c3"}},
        "feedback": {
            "en": "CTR = clicks ÷ impressions; ACoS = spend ÷ ad sales; TACoS = spend ÷ total sales; CPC = spend ÷ clicks. Ad sales ÷ spend is ROAS.",
            "zh-hans": "CTR = 点击 ÷ 曝光；ACoS = 花费 ÷ 广告销售额；TACoS = 花费 ÷ 总销售额；CPC = 花费 ÷ 点击。广告销售额 ÷ 花费是 ROAS。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "If sessions are stable but the unit session percentage drops sharply, the cause is more likely on the product page or offer (reviews, price, stock of variants, delivery promise) than in traffic.",
            "zh-hans": "如果会话数稳定而单位会话百分比大幅下降，原因更可能出在商品页面或报价（评论、价格、变体库存、配送时效）上，而不是流量。",
        },
        "points": "1",
        "competency": "data",
        "difficulty": 2,
        "title": "Conversion drop cause",
        "content": {},
        "key": {"correct": True},
        "feedback": {
            "en": "The same number of visitors are buying less, so look at what they see on the page: a new negative review, a competitor's lower price, missing sizes or a slower delivery date.",
            "zh-hans": "访客数量没变但买得少了，就要看他们在页面上看到了什么：新差评、竞品降价、尺码断货或配送时间变长。",
        },
    },
    # ---------------- data, difficulty 3 ----------------
    {
        "kind": "numeric",
        "text": {
            "en": "In one month an ASIN sold **400 units at USD 30**. Costs: referral fee 15% of sales; FBA fee USD 4.80 per unit; landed cost USD 9.50 per unit; advertising USD 1,500; storage USD 200; refunds USD 300. What is the **net profit margin**? Answer as a percentage to two decimals.",
            "zh-hans": "某 ASIN 一个月内以 **30 美元售出 400 件**。成本：销售佣金为销售额的 15%；FBA 费每件 4.80 美元；到岸成本每件 9.50 美元；广告 1,500 美元；仓储 200 美元；退款 300 美元。**净利率**是多少？请以百分数作答，保留两位小数。",
        },
        "points": "3",
        "competency": "data",
        "difficulty": 3,
        "title": "Net profit margin",
        "content": {"unit": "%"},
        "key": {"value": "20.67", "tolerance": "0.1", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "Sales 12,000 − referral 1,800 − FBA 1,920 − landed cost 3,800 − ads 1,500 − storage 200 − refunds 300 = USD 2,480 net profit; 2,480 ÷ 12,000 = 20.67%.",
            "zh-hans": "销售额 12,000 − 佣金 1,800 − FBA 费 1,920 − 到岸成本 3,800 − 广告 1,500 − 仓储 200 − 退款 300 = 净利润 2,480 美元；2,480 ÷ 12,000 = 20.67%。",
        },
    },
    {
        "kind": "ordering",
        "text": {
            "en": "Order the steps of a well-run listing A/B test.",
            "zh-hans": "将一次规范的商品页面 A/B 测试的步骤按顺序排列。",
        },
        "points": "2",
        "competency": "data",
        "difficulty": 3,
        "title": "A/B test process",
        "content": {
            "items": [
                {
                    "id": "i1",
                    "text": {
                        "en": "Run both versions at the same time for at least 4 (ideally 8–10) weeks without other changes",
                        "zh-hans": "两个版本同时运行至少 4 周（最好 8–10 周），期间不做其他改动",
                    },
                },
                {
                    "id": "i2",
                    "text": {
                        "en": "Write a hypothesis that changes one variable",
                        "zh-hans": "写出只改变一个变量的假设",
                    },
                },
                {
                    "id": "i3",
                    "text": {
                        "en": "Publish the winner and record the result in the test log",
                        "zh-hans": "上线胜出版本并把结果记入测试日志",
                    },
                },
                {
                    "id": "i4",
                    "text": {
                        "en": "Choose the success metric (CTR or conversion rate)",
                        "zh-hans": "确定衡量指标（点击率或转化率）",
                    },
                },
                {
                    "id": "i5",
                    "text": {
                        "en": "Check the sample size and the probability that one version is better",
                        "zh-hans": "检查样本量以及某一版本更优的概率",
                    },
                },
            ]
        },
        "key": {"order": ["i2", "i4", "i1", "i5", "i3"], "scoring": "partial"},
        "feedback": {
            "en": "Hypothesis first, then the metric, then a clean simultaneous run, then a statistical check, and only then publish and document.",
            "zh-hans": "先有假设，再定指标，然后同时、干净地运行测试，做统计检验，最后上线并记录。",
        },
    },
    {
        "kind": "single_choice",
        "text": {
            "en": "After four weeks, main image A had 3,000 sessions and 270 orders (9.0%) and image B had 3,100 sessions and 282 orders (9.1%). What is the best conclusion?",
            "zh-hans": "测试四周后，主图 A 有 3,000 次会话、270 单（9.0%），主图 B 有 3,100 次会话、282 单（9.1%）。最恰当的结论是什么？",
        },
        "points": "2",
        "competency": "data",
        "difficulty": 3,
        "title": "Interpreting a flat test",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "B is clearly better and should be rolled out to all markets",
                        "zh-hans": "B 明显更好，应推广到所有站点",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "There is no meaningful difference; keep the current image or test a bolder change",
                        "zh-hans": "两者没有实质差异；保留现有主图，或测试改动更大的方案",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "A is better because it had fewer sessions",
                        "zh-hans": "A 更好，因为会话更少",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "The test proves main images do not affect sales",
                        "zh-hans": "测试证明主图不影响销量",
                    },
                },
            ]
        },
        "key": {"correct": "b"},
        "feedback": {
            "en": "A 0.1-point difference on about 3,000 sessions each is well within random variation. A null result does not prove images never matter – only that this change did not.",
            "zh-hans": "各约 3,000 次会话下 0.1 个百分点的差距完全在随机波动范围内。没有差异不代表主图不重要，只说明这次改动没起作用。",
        },
    },
    # ---------------- service, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "What is Amazon's target for a seller's **Order Defect Rate (ODR)**?",
            "zh-hans": "亚马逊对卖家**订单缺陷率（ODR）**的要求是多少？",
        },
        "points": "1",
        "competency": "service",
        "difficulty": 1,
        "title": "ODR target",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "Below 4%", "zh-hans": "低于 4%"}},
                {"id": "b", "text": {"en": "Below 2.5%", "zh-hans": "低于 2.5%"}},
                {"id": "c", "text": {"en": "Below 5%", "zh-hans": "低于 5%"}},
                {"id": "d", "text": {"en": "Below 1%", "zh-hans": "低于 1%"}},
            ]
        },
        "key": {"correct": "d"},
        "feedback": {
            "en": "ODR must stay below 1%. 2.5% is the pre-fulfilment cancel rate target and 4% the late shipment rate target.",
            "zh-hans": "ODR 须低于 1%。2.5% 是配送前取消率的要求，4% 是迟发率的要求。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "A seller may offer a partial refund to buyers who leave a 5-star review, as long as the review itself is honest.",
            "zh-hans": "只要评论内容真实，卖家就可以给留下 5 星评论的买家部分退款。",
        },
        "points": "1",
        "competency": "service",
        "difficulty": 1,
        "title": "Incentivised reviews",
        "content": {},
        "key": {"correct": False},
        "feedback": {
            "en": "Any compensation in exchange for reviews – refunds, gifts, discounts – is prohibited and can lead to account suspension. Use the Request a Review button or Amazon Vine.",
            "zh-hans": '任何以评论换取的补偿（退款、礼品、折扣）都被禁止，可能导致封号。应使用"请求评论"按钮或 Amazon Vine 计划。',
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": "Match each Amazon performance metric with its target.",
            "zh-hans": "将亚马逊各项绩效指标与其目标值配对。",
        },
        "points": "2",
        "competency": "service",
        "difficulty": 1,
        "title": "Performance targets",
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "Order Defect Rate", "zh-hans": "订单缺陷率"}},
                {"id": "p2", "text": {"en": "Late shipment rate", "zh-hans": "迟发率"}},
                {
                    "id": "p3",
                    "text": {"en": "Pre-fulfilment cancel rate", "zh-hans": "配送前取消率"},
                },
                {"id": "p4", "text": {"en": "Valid tracking rate", "zh-hans": "有效追踪率"}},
            ],
            "choices": [
                {"id": "c1", "text": {"en": "Below 4%", "zh-hans": "低于 4%"}},
                {"id": "c2", "text": {"en": "Above 95%", "zh-hans": "高于 95%"}},
                {"id": "c3", "text": {"en": "Below 1%", "zh-hans": "低于 1%"}},
                {"id": "c4", "text": {"en": "Below 2.5%", "zh-hans": "低于 2.5%"}},
            ],
        },
        "key": {"pairs": {"p1": "c3", "p2": "c1", "p3": "c4", "p4": "c2"}},
        "feedback": {
            "en": "ODR < 1%, late shipment rate < 4%, pre-fulfilment cancel rate < 2.5%, valid tracking rate > 95%.",
            "zh-hans": "订单缺陷率 < 1%，迟发率 < 4%，配送前取消率 < 2.5%，有效追踪率 > 95%。",
        },
    },
    # ---------------- service, difficulty 2 ----------------
    {
        "kind": "multiple_choice",
        "text": {
            "en": "Which of the following count towards Amazon's **Order Defect Rate**? Select all that apply.",
            "zh-hans": "以下哪些会计入亚马逊的**订单缺陷率**？请选出所有正确项。",
        },
        "points": "2",
        "competency": "service",
        "difficulty": 2,
        "title": "ODR components",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Negative seller feedback (1–2 stars)",
                        "zh-hans": "卖家差评（1–2 星反馈）",
                    },
                },
                {"id": "b", "text": {"en": "A 1-star product review", "zh-hans": "1 星商品评论"}},
                {
                    "id": "c",
                    "text": {"en": "A-to-z Guarantee claims", "zh-hans": "亚马逊商城交易保障索赔"},
                },
                {"id": "d", "text": {"en": "Credit card chargebacks", "zh-hans": "信用卡拒付"}},
                {
                    "id": "e",
                    "text": {
                        "en": "A return requested within the return window",
                        "zh-hans": "退货期内的正常退货申请",
                    },
                },
            ]
        },
        "key": {"correct": ["a", "c", "d"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "ODR combines negative feedback, A-to-z claims and chargebacks. Product reviews and ordinary returns are not order defects, although they deserve attention.",
            "zh-hans": "ODR 由负面反馈、A-to-z 索赔和信用卡拒付三部分组成。商品评论和正常退货不属于订单缺陷，但同样需要关注。",
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "Amazon expects sellers to answer buyer messages within [[1]] hours. The appeal document a seller submits after an account or listing is deactivated is called a [[2]].",
            "zh-hans": "亚马逊要求卖家在 [[1]] 小时内回复买家消息。账户或商品被停用后，卖家提交的申诉文件称为 [[2]]。",
        },
        "points": "2",
        "competency": "service",
        "difficulty": 2,
        "title": "Response time and POA",
        "content": {"blanks": 2},
        "key": {
            "blanks": [
                {"accepted": ["24", "二十四"]},
                {
                    "accepted": [
                        "Plan of Action",
                        "POA",
                        "行动计划",
                        "申诉行动计划",
                        "改进计划",
                        "申诉计划",
                    ]
                },
            ],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "Messages should be answered within 24 hours, including weekends. An appeal is made with a Plan of Action (POA) covering root cause, corrective actions and preventive measures.",
            "zh-hans": "买家消息应在 24 小时内回复，周末也不例外。申诉需提交行动计划（POA），说明根本原因、纠正措施和预防措施。",
        },
    },
    {
        "kind": "single_choice",
        "text": {
            "en": "A self-fulfilled parcel's tracking has not updated for 10 days and the buyer sends an angry message. What is the best response?",
            "zh-hans": "一个自配送包裹的物流信息已经 10 天没有更新，买家发来一条愤怒的消息。最好的处理方式是什么？",
        },
        "points": "2",
        "competency": "service",
        "difficulty": 2,
        "title": "Stalled tracking",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Ask the buyer to wait another 30 days",
                        "zh-hans": "请买家再等 30 天",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Wait until the buyer opens an A-to-z claim, then refund",
                        "zh-hans": "等买家发起 A-to-z 索赔后再退款",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Apologise within 24 hours, open an enquiry with the carrier, and offer a reshipment or refund in line with your policy",
                        "zh-hans": "24 小时内致歉，向承运商发起查询，并按店铺政策提供重发或退款",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Tell the buyer delays are the carrier's fault and not your responsibility",
                        "zh-hans": "告诉买家延误是承运商的责任，与你无关",
                    },
                },
            ]
        },
        "key": {"correct": "c"},
        "feedback": {
            "en": "A fast, ownership-taking reply with a concrete solution prevents an A-to-z claim or negative feedback, both of which would raise ODR.",
            "zh-hans": "快速回复、主动担责并给出具体方案，可以避免 A-to-z 索赔或差评，而这两者都会推高 ODR。",
        },
    },
    # ---------------- service, difficulty 3 ----------------
    {
        "kind": "ordering",
        "text": {
            "en": "A listing was removed after a buyer safety complaint. Order the steps for a successful reinstatement.",
            "zh-hans": "某商品因买家安全投诉被下架。将成功恢复上架的步骤按顺序排列。",
        },
        "points": "2",
        "competency": "service",
        "difficulty": 3,
        "title": "Reinstatement process",
        "content": {
            "items": [
                {
                    "id": "i1",
                    "text": {
                        "en": "Submit the Plan of Action with evidence through Account Health",
                        "zh-hans": "通过账户健康页面提交附带证据的行动计划",
                    },
                },
                {
                    "id": "i2",
                    "text": {
                        "en": "Investigate the complaint and identify the root cause",
                        "zh-hans": "调查投诉，找出根本原因",
                    },
                },
                {
                    "id": "i3",
                    "text": {
                        "en": "Take immediate corrective action (quarantine stock, contact affected buyers)",
                        "zh-hans": "立即采取纠正措施（隔离库存、联系受影响买家）",
                    },
                },
                {
                    "id": "i4",
                    "text": {
                        "en": "Define preventive measures (supplier QC, test reports, listing warnings)",
                        "zh-hans": "制定预防措施（供应商质检、检测报告、页面警示）",
                    },
                },
                {
                    "id": "i5",
                    "text": {
                        "en": "Monitor the listing and metrics after reinstatement",
                        "zh-hans": "恢复后持续监控商品和指标",
                    },
                },
            ]
        },
        "key": {"order": ["i2", "i3", "i4", "i1", "i5"], "scoring": "partial"},
        "feedback": {
            "en": "A Plan of Action is credible only when it rests on a real root cause and on actions already taken; after reinstatement the seller must prove the fix holds.",
            "zh-hans": "行动计划只有建立在真实的根本原因和已采取的措施之上才可信；恢复后还要证明问题确实不再发生。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": "Which of these practices violate Amazon's customer review policy? Select all that apply.",
            "zh-hans": "以下哪些做法违反亚马逊的评论政策？请选出所有正确项。",
        },
        "points": "3",
        "competency": "service",
        "difficulty": 3,
        "title": "Review policy",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": 'A package insert saying "Happy? Leave 5 stars. Unhappy? Contact us first"',
                        "zh-hans": '包裹内附卡片："满意请给 5 星，不满意请先联系我们"',
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Using the Request a Review button in Seller Central",
                        "zh-hans": '使用卖家后台的"请求评论"按钮',
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Asking employees' relatives to buy and review the product",
                        "zh-hans": "请员工亲属购买并评论产品",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Enrolling the product in Amazon Vine",
                        "zh-hans": "让产品参加 Amazon Vine 计划",
                    },
                },
                {
                    "id": "e",
                    "text": {
                        "en": "Sending a free gift card after the buyer posts a review",
                        "zh-hans": "买家发布评论后赠送礼品卡",
                    },
                },
            ]
        },
        "key": {"correct": ["a", "c", "e"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "Review manipulation includes steering only happy buyers to review, reviews by related people, and any reward for reviewing. Request a Review and Vine are Amazon's own permitted tools.",
            "zh-hans": '操纵评论包括只引导满意买家留评、关联人员评论，以及为评论提供任何回报。"请求评论"和 Vine 是亚马逊允许的官方工具。',
        },
    },
    {
        "kind": "single_choice",
        "text": {
            "en": "Your account was deactivated after a trademark complaint about a phone case that used a famous brand's logo. What is the right first step?",
            "zh-hans": "你的账户因一款使用了知名品牌 Logo 的手机壳遭到商标投诉而被停用。正确的第一步是什么？",
        },
        "points": "2",
        "competency": "service",
        "difficulty": 3,
        "title": "Trademark complaint",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Delete the infringing listings, stop sourcing the product, and prepare a Plan of Action naming the root cause and controls",
                        "zh-hans": "删除侵权商品、停止采购该产品，并准备写明根本原因和管控措施的行动计划",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Open a new seller account under a relative's name",
                        "zh-hans": "用亲属的名字再开一个卖家账户",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Change the logo colour and relist",
                        "zh-hans": "把 Logo 换个颜色重新上架",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "File a counter-complaint against the brand owner",
                        "zh-hans": "反过来投诉品牌方",
                    },
                },
            ]
        },
        "key": {"correct": "a"},
        "feedback": {
            "en": "Using another brand's logo is infringement; the only route back is to remove the cause and show credible controls. Related accounts are prohibited, and altered logos remain infringing.",
            "zh-hans": "使用他人品牌 Logo 就是侵权，唯一的出路是消除原因并展示可信的管控措施。关联账户被禁止，改色的 Logo 依然侵权。",
        },
    },
    # ---------------- essays ----------------
    {
        "kind": "essay",
        "text": {
            "en": "Explain why a new Amazon seller should focus on **long-tail keywords** before head terms. Use a concrete product example and describe where in the listing you would place each type of keyword.",
            "zh-hans": "请说明为什么亚马逊新卖家应当先做**长尾词**、再做大词。结合一个具体产品举例，并说明各类关键词应分别放在页面的哪些位置。",
        },
        "points": "10",
        "competency": "listing",
        "difficulty": 1,
        "title": "Why long-tail keywords",
        "content": {"min_words": 50, "max_words": 400},
        "key": {
            "guidance": {
                "en": "Look for: (1) ranking depends on sales on a keyword, and a new listing cannot out-sell established listings on head terms; (2) long-tail terms have lower competition, lower CPC and higher purchase intent/conversion; (3) a concrete example with head vs long-tail terms; (4) placement: most important terms in the title front, supporting terms in bullets, synonyms/other languages/misspellings in backend search terms (< 250 bytes), attributes filled; (5) plan to move to head terms once sales history and reviews exist. 2 marks each.",
                "zh-hans": "评分要点：(1) 排名取决于该关键词下的销量，新品在大词上拼不过成熟商品；(2) 长尾词竞争小、CPC 低、购买意图强、转化高；(3) 有具体的大词与长尾词示例；(4) 布局：最重要的词放标题前部，次要词放五点，同义词/其他语言/常见拼写错误放后台搜索词（少于 250 字节），属性填写完整；(5) 有销量和评论积累后再逐步冲大词。每点 2 分。",
            }
        },
        "feedback": {
            "en": "A strong answer links keyword choice to how the ranking engine rewards sales, not only to search volume.",
            "zh-hans": "好的答案会把选词和排序引擎奖励销量的机制联系起来，而不只看搜索量。",
        },
    },
    {
        "kind": "essay",
        "text": {
            "en": "Design the advertising plan for the first eight weeks of a new product on Amazon (selling price USD 25, pre-ad margin 30%). Describe the campaign structure, how you will manage bids and ACoS over time, and which metrics tell you the launch has succeeded.",
            "zh-hans": "为一款亚马逊新品（售价 25 美元，广告前利润率 30%）设计前八周的广告方案。说明广告结构、如何随时间调整竞价和 ACoS，以及用哪些指标判断新品推广成功。",
        },
        "points": "10",
        "competency": "advertising",
        "difficulty": 2,
        "title": "Eight-week launch ad plan",
        "content": {"min_words": 100, "max_words": 400},
        "key": {
            "guidance": {
                "en": "Look for: auto campaign for discovery plus manual exact/phrase on researched long-tail terms and product targeting; weekly harvesting and negatives; break-even ACoS = 30% stated; a launch phase accepting higher ACoS with a cap and end date, then bidding down towards or below 30%; placement/bid adjustments in 10–20% steps; success metrics: organic rank on target keywords, TACoS falling, unit session %, reviews, sales velocity. Deduct if ACoS and TACoS are confused.",
                "zh-hans": "评分要点：自动广告用于挖词，同时对调研出的长尾词开手动精准/词组广告并做商品投放；每周收割搜索词并设置否定；写明盈亏平衡 ACoS = 30%；推广期可接受较高 ACoS 但有上限和截止时间，之后逐步降价至 30% 左右或更低；竞价和广告位按 10–20% 幅度调整；成功指标：目标词自然排名、TACoS 下降、单位会话百分比、评论数、销售速度。混淆 ACoS 和 TACoS 者扣分。",
            }
        },
        "feedback": {
            "en": "The key idea is that launch ad spend buys organic rank, so success is measured by organic results, not ad sales alone.",
            "zh-hans": "核心是：新品期的广告花费是为了换取自然排名，所以要用自然表现而不仅是广告销售来衡量成功。",
        },
    },
    {
        "kind": "essay",
        "text": {
            "en": "Your best-selling ASIN's monthly sales fell 30% although you changed nothing. Describe, step by step, how you would use the business report, advertising data and the product page to find the cause, and what you would do for each likely cause.",
            "zh-hans": "你的爆款 ASIN 月销售额下降了 30%，而你什么都没有改动。请分步骤说明你会如何利用业务报告、广告数据和商品页面查找原因，以及针对每种可能原因采取什么措施。",
        },
        "points": "10",
        "competency": "data",
        "difficulty": 3,
        "title": "Diagnosing a sales drop",
        "content": {"min_words": 150, "max_words": 400},
        "key": {
            "guidance": {
                "en": "Look for: sales = traffic × conversion × price decomposition; compare sessions, unit session %, Buy Box % and average price against prior weeks and last year; traffic causes (rank loss, ad budget, suppression, seasonality, lost Buy Box) with fixes; conversion causes (new negative reviews, competitor price/coupon, stock-outs of variants, slower delivery, listing changes by others) with fixes; check account health and stock; a monitoring plan afterwards. Top marks need a logical order and concrete metrics.",
                "zh-hans": "评分要点：按 销售额 = 流量 × 转化率 × 客单价 拆解；对比会话数、单位会话百分比、购物车百分比和平均售价的前几周及去年同期数据；流量原因（排名下滑、广告预算、页面屏蔽、季节性、丢失购物车）及对策；转化原因（新差评、竞品降价或发券、变体断货、配送变慢、页面被他人修改）及对策；检查账户健康和库存；之后的监控计划。高分需要逻辑顺序清晰并给出具体指标。",
            }
        },
        "feedback": {
            "en": "Systematic decomposition beats guessing: isolate whether traffic, conversion or price moved before acting.",
            "zh-hans": "系统拆解胜过猜测：先确定是流量、转化还是价格发生了变化，再采取行动。",
        },
    },
    # ---------------- practical tasks ----------------
    {
        "kind": "practical",
        "text": {
            "en": "Write a complete Amazon US listing for the product described in the instructions and upload it.",
            "zh-hans": "根据任务说明中的产品信息，撰写一份完整的亚马逊美国站商品页面并上传。",
        },
        "points": "20",
        "competency": "listing",
        "difficulty": 1,
        "title": "Write an Amazon listing",
        "content": {
            "instructions": {
                "en": 'Product: stainless-steel insulated water bottle, 750 ml (25 oz), double-wall vacuum, keeps drinks cold 24 h / hot 12 h, leak-proof lid with carry loop, BPA-free, fits most car cup holders, 5 colours, brand "AQUORA".\n\nDeliver one .docx or .pdf containing: (1) a title of at most 200 characters; (2) five bullet points; (3) a product description of 150–300 words; (4) backend search terms under 250 bytes (state the byte count); (5) a list of your 10 target keywords marked head or long-tail, with where each is placed.',
                "zh-hans": '产品：不锈钢保温水杯，750 毫升（25 盎司），双层真空，冷饮保冷 24 小时、热饮保温 12 小时，防漏杯盖带提环，不含双酚 A，适配大多数车载杯架，5 种颜色，品牌 "AQUORA"。\n\n提交一个 .docx 或 .pdf 文件，包含：(1) 不超过 200 个字符的标题；(2) 五点描述；(3) 150–300 词的商品描述；(4) 少于 250 字节的后台搜索词（注明字节数）；(5) 10 个目标关键词列表，标明大词或长尾词以及各自放置的位置。',
            },
            "allowed_types": ["pdf", "docx"],
            "max_size_mb": 10,
        },
        "key": {
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Title: ≤ 200 characters, brand and core keyword first, key specs (750 ml/25 oz, insulated), no promotional words or banned characters",
                        "zh-hans": "标题：不超过 200 个字符，品牌和核心词在前，含关键规格（750 毫升/25 盎司、保温），无宣传词和禁用符号",
                    },
                    "points": "5",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Bullet points: five distinct benefits with proof, natural keyword use, correct US units",
                        "zh-hans": "五点描述：五个不同的利益点并有支撑，关键词自然融入，使用美国单位",
                    },
                    "points": "5",
                },
                {
                    "id": "r3",
                    "criterion": {
                        "en": "Description: clear, accurate, no unsupported claims, readable on mobile",
                        "zh-hans": "商品描述：清晰准确，无无法证实的宣传，适合手机阅读",
                    },
                    "points": "4",
                },
                {
                    "id": "r4",
                    "criterion": {
                        "en": "Backend search terms: under 250 bytes, no repetition of title words, no brands or ASINs, useful synonyms",
                        "zh-hans": "后台搜索词：少于 250 字节，不重复标题词，无品牌名或 ASIN，包含有用的同义词",
                    },
                    "points": "3",
                },
                {
                    "id": "r5",
                    "criterion": {
                        "en": "Keyword plan: sensible head/long-tail split and placement that matches the copy",
                        "zh-hans": "关键词规划：大词和长尾词划分合理，放置位置与文案一致",
                    },
                    "points": "3",
                },
            ]
        },
        "feedback": {
            "en": "Graded by a teacher and an enterprise mentor against the rubric.",
            "zh-hans": "由教师和企业导师按评分细则双评。",
        },
    },
    {
        "kind": "practical",
        "text": {
            "en": "Analyse the advertising and traffic data in the instructions and submit an optimisation plan as a spreadsheet.",
            "zh-hans": "分析任务说明中的广告和流量数据，以电子表格形式提交优化方案。",
        },
        "points": "25",
        "competency": "advertising",
        "difficulty": 2,
        "title": "Ad optimisation spreadsheet",
        "content": {
            "instructions": {
                "en": "A yoga mat (price USD 29.99, pre-ad margin 32%) has these 30-day search terms from its auto campaign:\n\n| Search term | Impr. | Clicks | Spend (USD) | Orders |\n|---|---|---|---|---|\n| yoga mat thick | 18,400 | 310 | 248.00 | 31 |\n| non slip yoga mat | 9,200 | 150 | 127.50 | 17 |\n| pilates mat | 6,100 | 95 | 76.00 | 4 |\n| gym floor mat heavy | 4,800 | 88 | 70.40 | 0 |\n| yoga mat for kids | 3,900 | 40 | 30.00 | 1 |\n| extra wide yoga mat | 2,100 | 36 | 27.00 | 6 |\n\nIn one .xlsx file: (1) calculate CTR, CPC, conversion rate, sales and ACoS for each term; (2) state the break-even ACoS; (3) decide for each term: move to exact, keep, lower bid or negate, with a one-line reason; (4) propose the new campaign structure and starting bids.",
                "zh-hans": "一款瑜伽垫（售价 29.99 美元，广告前利润率 32%）的自动广告近 30 天搜索词数据如下：\n\n| 搜索词 | 曝光 | 点击 | 花费（美元） | 订单 |\n|---|---|---|---|---|\n| yoga mat thick | 18,400 | 310 | 248.00 | 31 |\n| non slip yoga mat | 9,200 | 150 | 127.50 | 17 |\n| pilates mat | 6,100 | 95 | 76.00 | 4 |\n| gym floor mat heavy | 4,800 | 88 | 70.40 | 0 |\n| yoga mat for kids | 3,900 | 40 | 30.00 | 1 |\n| extra wide yoga mat | 2,100 | 36 | 27.00 | 6 |\n\n在一个 .xlsx 文件中：(1) 计算每个词的 CTR、CPC、转化率、销售额和 ACoS；(2) 写出盈亏平衡 ACoS；(3) 对每个词做出决定：移入精准、保留、降低竞价或否定，并用一句话说明理由；(4) 提出新的广告结构和初始竞价。",
            },
            "allowed_types": ["xlsx"],
            "max_size_mb": 10,
        },
        "key": {
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Calculations correct (e.g. 'yoga mat thick': CTR 1.68%, CPC 0.80, CR 10%, sales 929.69, ACoS 26.7%)",
                        "zh-hans": "计算正确（如 'yoga mat thick'：CTR 1.68%、CPC 0.80、转化率 10%、销售额 929.69、ACoS 26.7%）",
                    },
                    "points": "8",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Break-even ACoS stated as 32% and used consistently",
                        "zh-hans": "写明盈亏平衡 ACoS 为 32% 并贯穿使用",
                    },
                    "points": "3",
                },
                {
                    "id": "r3",
                    "criterion": {
                        "en": "Sound decisions: harvest 'yoga mat thick', 'non slip yoga mat', 'extra wide yoga mat'; negate 'gym floor mat heavy'; lower bids on 'pilates mat' and 'yoga mat for kids'",
                        "zh-hans": "决策合理：收割 'yoga mat thick'、'non slip yoga mat'、'extra wide yoga mat'；否定 'gym floor mat heavy'；降低 'pilates mat' 和 'yoga mat for kids' 的竞价",
                    },
                    "points": "8",
                },
                {
                    "id": "r4",
                    "criterion": {
                        "en": "Clear campaign structure with negatives in auto and justified starting bids (at or below break-even CPC)",
                        "zh-hans": "广告结构清晰，自动广告设置否定，初始竞价有依据（不高于盈亏平衡 CPC）",
                    },
                    "points": "6",
                },
            ]
        },
        "feedback": {
            "en": "Graded by a teacher and an enterprise mentor against the rubric.",
            "zh-hans": "由教师和企业导师按评分细则双评。",
        },
    },
    {
        "kind": "practical",
        "text": {
            "en": "Write a Plan of Action to reinstate a deactivated seller account, based on the case in the instructions.",
            "zh-hans": "根据任务说明中的案例，撰写一份恢复被停用卖家账户的行动计划（POA）。",
        },
        "points": "25",
        "competency": "service",
        "difficulty": 3,
        "title": "Plan of Action",
        "content": {
            "instructions": {
                "en": "Case: a Ningbo home-goods seller's Amazon US account was deactivated because its Order Defect Rate reached 1.8% (60-day window: 2,150 orders, 22 negative feedback, 14 A-to-z claims, 3 chargebacks). Investigation shows: a new dedicated-line carrier lost parcels in September; 9 negative feedback mention a cracked glass lid; customer messages were answered in 40 hours on average during the National Day holiday.\n\nSubmit a .docx or .pdf (max 2 pages) addressed to Amazon Seller Performance with: root causes, immediate actions already taken, and long-term preventive measures, each specific and verifiable. Attach a one-page supporting table of evidence you would include.",
                "zh-hans": "案例：宁波一家家居用品卖家的亚马逊美国站账户因订单缺陷率达到 1.8% 被停用（60 天内 2,150 单，其中差评 22 个、A-to-z 索赔 14 个、信用卡拒付 3 笔）。调查发现：9 月启用的新专线承运商丢件；9 条差评提到玻璃锅盖破裂；国庆假期期间客服消息平均 40 小时才回复。\n\n提交一份写给亚马逊卖家绩效团队的 .docx 或 .pdf（不超过 2 页），包括：根本原因、已采取的即时措施、长期预防措施，每一条都要具体、可核实。另附一页拟提交的证据清单表格。",
            },
            "allowed_types": ["pdf", "docx"],
            "max_size_mb": 10,
        },
        "key": {
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Root causes identified precisely for each defect type (carrier losses, packaging breakage, slow responses) with figures",
                        "zh-hans": "针对每类缺陷准确找出根本原因（承运商丢件、包装破损、回复过慢），并引用数据",
                    },
                    "points": "7",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Immediate actions already taken are concrete (e.g. carrier switched, affected buyers refunded/reshipped, stock re-packed)",
                        "zh-hans": "已采取的即时措施具体（如更换承运商、受影响买家已退款或重发、库存重新包装）",
                    },
                    "points": "6",
                },
                {
                    "id": "r3",
                    "criterion": {
                        "en": "Preventive measures are verifiable (drop tests, carrier KPIs, holiday rota with 24 h response, weekly ODR review)",
                        "zh-hans": "预防措施可核实（跌落测试、承运商考核指标、假期值班保证 24 小时回复、每周复核 ODR）",
                    },
                    "points": "7",
                },
                {
                    "id": "r4",
                    "criterion": {
                        "en": "Professional, concise tone without excuses; evidence table relevant",
                        "zh-hans": "语气专业简洁、不推卸责任；证据清单切题",
                    },
                    "points": "5",
                },
            ]
        },
        "feedback": {
            "en": "Graded by a teacher and an enterprise mentor against the rubric.",
            "zh-hans": "由教师和企业导师按评分细则双评。",
        },
    },
    # ---------------- cloze (embedded answers), advertising, difficulty 2 ----------------
    {
        "kind": "cloze",
        "text": {
            "en": "Complete the campaign review: choose or type the answer in each gap.",
            "zh-hans": "补全这份广告活动复盘：在每个空中选择或填写答案。",
        },
        "points": "3",
        "competency": "advertising",
        "difficulty": 2,
        "title": "Campaign review cloze",
        "content": {
            "text": {
                "en": "Last month a Sponsored Products campaign spent **USD 200** and brought **USD 800** of attributed sales, so its ACoS was [[g1]] %. The product's margin before advertising is 30 %, so the campaign was [[g2]]. The inverse of ACoS, attributed sales divided by ad spend, is called [[g3]].",
                "zh-hans": "上个月某个商品推广（Sponsored Products）广告活动花费 **200 美元**，带来 **800 美元**归因销售额，因此其 ACoS 为 [[g1]] %。该商品广告前的利润率为 30%，所以这个活动[[g2]]。ACoS 的倒数，即归因销售额除以广告花费，称为 [[g3]]。",
            },
            "gaps": [
                {"id": "g1", "type": "number"},
                {
                    "id": "g2",
                    "type": "choice",
                    "options": [
                        {
                            "id": "a",
                            "text": {
                                "en": "profitable, because its ACoS is below the 30 % break-even ACoS",
                                "zh-hans": "盈利，因为其 ACoS 低于 30% 的盈亏平衡 ACoS",
                            },
                        },
                        {
                            "id": "b",
                            "text": {
                                "en": "profitable, because sales were four times the spend",
                                "zh-hans": "盈利，因为销售额是花费的四倍",
                            },
                        },
                        {
                            "id": "c",
                            "text": {
                                "en": "losing money, because ACoS should stay under 10 %",
                                "zh-hans": "亏损，因为 ACoS 应低于 10%",
                            },
                        },
                        {
                            "id": "d",
                            "text": {"en": "exactly at break-even", "zh-hans": "正好盈亏平衡"},
                        },
                    ],
                },
                {"id": "g3", "type": "short"},
            ],
        },
        "key": {
            "gaps": {
                "g1": {"weight": 2, "value": "25", "tolerance": "0.5"},
                "g2": {"weight": 1, "correct": ["a"], "partial": {"b": "0.5"}},
                "g3": {
                    "weight": 1,
                    "accepted": [
                        "ROAS",
                        "return on ad spend",
                        "return on advertising spend",
                        "广告支出回报率",
                    ],
                    "case_sensitive": False,
                },
            }
        },
        "feedback": {
            "en": "ACoS = 200 ÷ 800 = 25 %. With a 30 % margin the break-even ACoS is 30 %, so the campaign keeps about 5 % of sales as profit. 'Four times the spend' is true (ROAS 4) but is not the reason: without the margin, ROAS alone cannot say whether ads pay. That answer earns half the gap.",
            "zh-hans": "ACoS = 200 ÷ 800 = 25%。利润率为 30% 时盈亏平衡 ACoS 为 30%，所以该活动仍保留约 5% 销售额的利润。“销售额是花费的四倍”本身没错（ROAS 为 4），但不是理由：不结合利润率，仅看 ROAS 无法判断广告是否赚钱，所以该选项得一半分。",
        },
    },
]

LM_QUESTIONS: list[dict] = [
    # ---------------- shipping, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "A new AliExpress seller is testing the French market with 0.2 kg phone cases worth about EUR 6 each. Which shipping mode is usually most suitable for these first orders?",
            "zh-hans": "一位速卖通新卖家用单件约 0.2 公斤、价值约 6 欧元的手机壳测试法国市场。这些首批订单通常最适合用哪种物流方式？",
        },
        "points": "1",
        "competency": "shipping",
        "difficulty": 1,
        "title": "Mode for light test orders",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Commercial express (DHL/FedEx/UPS)",
                        "zh-hans": "商业快递（DHL/FedEx/UPS）",
                    },
                },
                {"id": "b", "text": {"en": "Full container load by sea", "zh-hans": "海运整柜"}},
                {
                    "id": "c",
                    "text": {
                        "en": "Tracked postal small packet or an economy dedicated line",
                        "zh-hans": "可追踪的邮政小包或经济型专线",
                    },
                },
                {"id": "d", "text": {"en": "Air charter", "zh-hans": "包机空运"}},
            ]
        },
        "key": {"correct": "c"},
        "feedback": {
            "en": "Light, low-value parcels sent order by order are cheapest by tracked postal small packet or an economy line; express costs more than the product, and bulk modes need proven demand.",
            "zh-hans": "轻小、低货值、逐单发货的包裹，用可追踪的邮政小包或经济专线最省钱；快递运费比货值还高，批量方式则要等需求被验证后再用。",
        },
    },
    {
        "kind": "numeric",
        "text": {
            "en": "A carton measures **50 × 40 × 30 cm**. What is its volumetric weight for an international express service that uses the divisor 5000? Answer in kg.",
            "zh-hans": "一个纸箱尺寸为 **50 × 40 × 30 厘米**。按除数 5000 计算国际快递体积重，是多少公斤？",
        },
        "points": "2",
        "competency": "shipping",
        "difficulty": 1,
        "title": "Express volumetric weight",
        "content": {"unit": "kg"},
        "key": {"value": "12", "tolerance": "0.05", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "50 × 40 × 30 = 60,000 cm³; 60,000 ÷ 5000 = 12 kg.",
            "zh-hans": "50 × 40 × 30 = 60,000 立方厘米；60,000 ÷ 5000 = 12 公斤。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "For international express shipments, the chargeable weight is the higher of the actual weight and the volumetric weight.",
            "zh-hans": "国际快递的计费重量取实际重量和体积重中较大的一个。",
        },
        "points": "1",
        "competency": "shipping",
        "difficulty": 1,
        "title": "Chargeable weight rule",
        "content": {},
        "key": {"correct": True},
        "feedback": {
            "en": "Carriers charge for the space a parcel occupies as well as its weight, so they bill whichever is greater.",
            "zh-hans": "承运商既要考虑重量也要考虑占用的空间，所以按两者中较大的计费。",
        },
    },
    # ---------------- shipping, difficulty 2 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "An LCL sea shipment is 3.2 m³ and weighs 900 kg. The forwarder charges per revenue ton (W/M, 1 m³ = 1,000 kg). How many revenue tons will be billed?",
            "zh-hans": "一票海运拼箱货物体积 3.2 立方米、重 900 公斤。货代按计费吨（W/M，1 立方米 = 1,000 公斤）收费。应按多少计费吨计费？",
        },
        "points": "2",
        "competency": "shipping",
        "difficulty": 2,
        "title": "LCL revenue ton",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "0.9", "zh-hans": "0.9"}},
                {"id": "b", "text": {"en": "2.88", "zh-hans": "2.88"}},
                {"id": "c", "text": {"en": "4.1", "zh-hans": "4.1"}},
                {"id": "d", "text": {"en": "3.2", "zh-hans": "3.2"}},
            ]
        },
        "key": {"correct": "d"},
        "feedback": {
            "en": "Weight is 0.9 t and measurement is 3.2 m³; W/M bills the greater, so 3.2 revenue tons.",
            "zh-hans": "重量为 0.9 吨，体积为 3.2 立方米；W/M 取大者，所以按 3.2 计费吨计费。",
        },
    },
    {
        "kind": "numeric",
        "text": {
            "en": "You send **10 cartons** by air cargo. Each carton is **60 × 50 × 40 cm** and weighs **12 kg**. The airline uses the IATA divisor 6000. What is the total chargeable weight in kg?",
            "zh-hans": "你通过空运发出 **10 箱**货，每箱 **60 × 50 × 40 厘米**、重 **12 公斤**。航空公司按 IATA 除数 6000 计算体积重。总计费重量是多少公斤？",
        },
        "points": "2",
        "competency": "shipping",
        "difficulty": 2,
        "title": "Air cargo chargeable weight",
        "content": {"unit": "kg"},
        "key": {"value": "200", "tolerance": "0.5", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "Per carton: 120,000 ÷ 6000 = 20 kg volumetric vs 12 kg actual. Total volumetric 200 kg > actual 120 kg, so 200 kg is charged.",
            "zh-hans": "每箱体积重 120,000 ÷ 6000 = 20 公斤，实重 12 公斤。总体积重 200 公斤大于总实重 120 公斤，按 200 公斤计费。",
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": "Match each service with the way it converts size into chargeable weight.",
            "zh-hans": "将每种服务与其体积折算计费重量的方法配对。",
        },
        "points": "2",
        "competency": "shipping",
        "difficulty": 2,
        "title": "Volumetric divisors",
        "content": {
            "prompts": [
                {
                    "id": "p1",
                    "text": {
                        "en": "International express (DHL, FedEx, UPS)",
                        "zh-hans": "国际快递（DHL、FedEx、UPS）",
                    },
                },
                {"id": "p2", "text": {"en": "Air cargo (IATA)", "zh-hans": "航空货运（IATA）"}},
                {"id": "p3", "text": {"en": "Sea freight LCL", "zh-hans": "海运拼箱"}},
                {"id": "p4", "text": {"en": "Amazon FBA (US)", "zh-hans": "亚马逊 FBA（美国）"}},
            ],
            "choices": [
                {
                    "id": "c1",
                    "text": {
                        "en": "L × W × H in cm ÷ 6000",
                        "zh-hans": "长 × 宽 × 高（厘米）÷ 6000",
                    },
                },
                {
                    "id": "c2",
                    "text": {
                        "en": "L × W × H in inches ÷ 139",
                        "zh-hans": "长 × 宽 × 高（英寸）÷ 139",
                    },
                },
                {
                    "id": "c3",
                    "text": {
                        "en": "L × W × H in cm ÷ 5000",
                        "zh-hans": "长 × 宽 × 高（厘米）÷ 5000",
                    },
                },
                {
                    "id": "c4",
                    "text": {
                        "en": "1 m³ or 1,000 kg, whichever is greater",
                        "zh-hans": "1 立方米或 1,000 公斤，取大者",
                    },
                },
            ],
        },
        "key": {"pairs": {"p1": "c3", "p2": "c1", "p3": "c4", "p4": "c2"}},
        "feedback": {
            "en": "Express ÷5000, IATA air ÷6000, LCL by revenue ton (W/M), FBA US dimensional weight in inches ÷139.",
            "zh-hans": "快递除以 5000，IATA 空运除以 6000，海运拼箱按计费吨（W/M），美国 FBA 按英寸计算后除以 139。",
        },
    },
    # ---------------- shipping, difficulty 3 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "You have 26 m³ of light cartons for a US overseas warehouse. The LCL rate is USD 85 per m³ (W/M); a 20' container (20GP, about 28 m³ usable) costs USD 1,900 all-in to the same warehouse. Destination handling is the same either way. Which option is cheaper?",
            "zh-hans": "你有 26 立方米的轻泡货要发往美国海外仓。拼箱运价为每立方米 85 美元（W/M）；20 尺柜（20GP，可用约 28 立方米）到同一仓库全包价 1,900 美元。两种方式的目的港费用相同。哪种更便宜？",
        },
        "points": "2",
        "competency": "shipping",
        "difficulty": 3,
        "title": "LCL vs FCL",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "LCL, because you pay only for the space used",
                        "zh-hans": "拼箱，因为只为占用的空间付费",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "A 20GP full container, about USD 310 cheaper",
                        "zh-hans": "20 尺整柜，约便宜 310 美元",
                    },
                },
                {
                    "id": "c",
                    "text": {"en": "They cost exactly the same", "zh-hans": "两者费用完全相同"},
                },
                {
                    "id": "d",
                    "text": {
                        "en": "A 40' high cube, because it holds more",
                        "zh-hans": "40 尺高柜，因为装得更多",
                    },
                },
            ]
        },
        "key": {"correct": "b"},
        "feedback": {
            "en": "LCL: 26 × 85 = USD 2,210. FCL: USD 1,900. The container is USD 310 cheaper and also reduces handling and damage risk because cartons are not consolidated with other cargo.",
            "zh-hans": "拼箱：26 × 85 = 2,210 美元；整柜 1,900 美元。整柜便宜 310 美元，而且不与他人货物拼装，减少了搬运和货损风险。",
        },
    },
    {
        "kind": "numeric",
        "text": {
            "en": "You import **2,000 units** into an EU warehouse. FOB price USD 8.00 per unit; sea freight and insurance USD 1,200 in total; import duty 4% of the CIF value; clearance and delivery to the warehouse USD 500 in total. Import VAT is reclaimed and is not a cost. What is the **landed cost per unit** in USD?",
            "zh-hans": "你向欧盟海外仓进口 **2,000 件**商品。FOB 单价 8.00 美元；海运费和保险费合计 1,200 美元；进口关税为 CIF 货值的 4%；清关及送仓费用合计 500 美元。进口增值税可以抵扣，不计入成本。**每件到岸成本**是多少美元？",
        },
        "points": "3",
        "competency": "shipping",
        "difficulty": 3,
        "title": "Landed cost per unit",
        "content": {"unit": "USD"},
        "key": {"value": "9.19", "tolerance": "0.02", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "CIF per unit = 8.00 + 1,200 ÷ 2,000 = 8.60; duty = 8.60 × 4% = 0.344; clearance = 500 ÷ 2,000 = 0.25. Landed cost = 8.60 + 0.344 + 0.25 = USD 9.19.",
            "zh-hans": "每件 CIF = 8.00 + 1,200 ÷ 2,000 = 8.60；关税 = 8.60 × 4% = 0.344；清关送仓 = 500 ÷ 2,000 = 0.25。到岸成本 = 8.60 + 0.344 + 0.25 = 9.19 美元。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": "Which of these products normally need a special channel (such as a battery line) and extra documents like an MSDS or UN38.3 test report? Select all that apply.",
            "zh-hans": "以下哪些产品通常需要走特殊渠道（如带电专线），并提供 MSDS、UN38.3 检测报告等额外文件？请选出所有正确项。",
        },
        "points": "3",
        "competency": "shipping",
        "difficulty": 3,
        "title": "Special goods",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {"en": "A 10,000 mAh power bank", "zh-hans": "10,000 毫安时充电宝"},
                },
                {"id": "b", "text": {"en": "A cotton T-shirt", "zh-hans": "纯棉 T 恤"}},
                {
                    "id": "c",
                    "text": {
                        "en": "Bluetooth earphones with a built-in lithium battery",
                        "zh-hans": "内置锂电池的蓝牙耳机",
                    },
                },
                {"id": "d", "text": {"en": "A bamboo cutting board", "zh-hans": "竹制砧板"}},
                {
                    "id": "e",
                    "text": {"en": "Perfume (flammable liquid)", "zh-hans": "香水（易燃液体）"},
                },
            ]
        },
        "key": {"correct": ["a", "c", "e"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "Lithium batteries and flammable liquids are dangerous goods in transport and need approved channels and safety documents; textiles and bamboo goods are general cargo.",
            "zh-hans": "锂电池和易燃液体在运输中属于危险品，需要走认可的渠道并提供安全文件；纺织品和竹制品属于普通货物。",
        },
    },
    # ---------------- customs, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "Which China Customs supervision mode code is used for B2C parcels sent directly from China to overseas consumers?",
            "zh-hans": "从中国直接寄给海外消费者的 B2C 包裹，适用哪个海关监管方式代码？",
        },
        "points": "1",
        "competency": "customs",
        "difficulty": 1,
        "title": "B2C direct mail code",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "9610", "zh-hans": "9610"}},
                {"id": "b", "text": {"en": "9710", "zh-hans": "9710"}},
                {"id": "c", "text": {"en": "9810", "zh-hans": "9810"}},
                {"id": "d", "text": {"en": "0110", "zh-hans": "0110"}},
            ]
        },
        "key": {"correct": "a"},
        "feedback": {
            "en": "9610 is cross-border e-commerce B2C direct mail, cleared by list and declared in summary (清单核放、汇总申报).",
            "zh-hans": '9610 是跨境电商 B2C 直邮模式，采用"清单核放、汇总申报"。',
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": "Match each supervision mode code with its business model.",
            "zh-hans": "将每个监管方式代码与其业务模式配对。",
        },
        "points": "2",
        "competency": "customs",
        "difficulty": 1,
        "title": "Supervision mode codes",
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "9610", "zh-hans": "9610"}},
                {"id": "p2", "text": {"en": "9710", "zh-hans": "9710"}},
                {"id": "p3", "text": {"en": "9810", "zh-hans": "9810"}},
                {"id": "p4", "text": {"en": "1210", "zh-hans": "1210"}},
            ],
            "choices": [
                {
                    "id": "c1",
                    "text": {
                        "en": "CBEC export to an overseas warehouse",
                        "zh-hans": "跨境电商出口海外仓",
                    },
                },
                {
                    "id": "c2",
                    "text": {
                        "en": "Bonded cross-border e-commerce",
                        "zh-hans": "保税跨境贸易电子商务",
                    },
                },
                {
                    "id": "c3",
                    "text": {
                        "en": "B2C parcels mailed directly to consumers",
                        "zh-hans": "直接寄给消费者的 B2C 包裹",
                    },
                },
                {
                    "id": "c4",
                    "text": {"en": "CBEC B2B direct export", "zh-hans": "跨境电商 B2B 直接出口"},
                },
                {
                    "id": "c5",
                    "text": {
                        "en": "Processing trade with imported materials",
                        "zh-hans": "进料加工贸易",
                    },
                },
            ],
        },
        "key": {"pairs": {"p1": "c3", "p2": "c4", "p3": "c1", "p4": "c2"}},
        "feedback": {
            "en": "9610 B2C direct mail; 9710 B2B direct export; 9810 export to overseas warehouse; 1210 bonded e-commerce.",
            "zh-hans": "9610 为 B2C 直邮；9710 为 B2B 直接出口；9810 为出口海外仓；1210 为保税电商。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "Under Incoterms 2020, FOB may be used for any mode of transport, including air freight and courier shipments.",
            "zh-hans": "根据 Incoterms 2020，FOB 可用于任何运输方式，包括空运和快递。",
        },
        "points": "1",
        "competency": "customs",
        "difficulty": 1,
        "title": "FOB scope",
        "content": {},
        "key": {"correct": False},
        "feedback": {
            "en": "FOB, FAS, CFR and CIF are for sea and inland waterway transport only. For air or container multimodal shipments use FCA, CPT or CIP.",
            "zh-hans": "FOB、FAS、CFR、CIF 只适用于海运和内河运输。空运或集装箱多式联运应使用 FCA、CPT 或 CIP。",
        },
    },
    # ---------------- customs, difficulty 2 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "A Ningbo exporter sells on **FOB Ningbo** terms. At what point does the risk of loss pass to the buyer?",
            "zh-hans": "一家宁波出口商按 **FOB 宁波** 成交。货物灭失风险在何时转移给买方？",
        },
        "points": "2",
        "competency": "customs",
        "difficulty": 2,
        "title": "FOB risk transfer",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "When the goods leave the seller's factory",
                        "zh-hans": "货物离开卖方工厂时",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "When the goods arrive at the destination port",
                        "zh-hans": "货物到达目的港时",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "When the goods are on board the vessel at Ningbo port",
                        "zh-hans": "货物在宁波港装上船时",
                    },
                },
                {
                    "id": "d",
                    "text": {"en": "When the buyer pays the invoice", "zh-hans": "买方支付货款时"},
                },
            ]
        },
        "key": {"correct": "c"},
        "feedback": {
            "en": "Under FOB the seller clears export and delivers the goods on board the vessel nominated by the buyer at the named port; risk passes at that moment.",
            "zh-hans": "FOB 下卖方负责出口清关，并在指定装运港把货物装上买方指定的船舶，风险在此时转移。",
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "The supervision mode code for CBEC export to an overseas warehouse is [[1]], and the code for CBEC B2B direct export is [[2]].",
            "zh-hans": "跨境电商出口海外仓的监管方式代码是 [[1]]，跨境电商 B2B 直接出口的代码是 [[2]]。",
        },
        "points": "2",
        "competency": "customs",
        "difficulty": 2,
        "title": "9810 and 9710",
        "content": {"blanks": 2},
        "key": {
            "blanks": [{"accepted": ["9810"]}, {"accepted": ["9710"]}],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "9810 = export to overseas warehouse; 9710 = B2B direct export.",
            "zh-hans": "9810 为出口海外仓，9710 为 B2B 直接出口。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": 'For 9610 B2C exports, which data make up the "three documents" (三单) transmitted to the customs system? Select all that apply.',
            "zh-hans": '在 9610 B2C 出口中，推送到海关系统的"三单"是指哪些数据？请选出所有正确项。',
        },
        "points": "2",
        "competency": "customs",
        "difficulty": 2,
        "title": "Three documents",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "E-commerce order data", "zh-hans": "电子订单数据"}},
                {
                    "id": "b",
                    "text": {"en": "Payment (receipt) data", "zh-hans": "支付（收款）数据"},
                },
                {"id": "c", "text": {"en": "A letter of credit", "zh-hans": "信用证"}},
                {"id": "d", "text": {"en": "Logistics waybill data", "zh-hans": "物流运单数据"}},
                {"id": "e", "text": {"en": "A certificate of origin", "zh-hans": "原产地证书"}},
            ]
        },
        "key": {"correct": ["a", "b", "d"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "The three documents are the order, the payment and the logistics waybill, sent by the e-commerce, payment and logistics companies so customs can cross-check each parcel.",
            "zh-hans": '"三单"是订单、支付单和物流运单，分别由电商企业、支付企业和物流企业推送，供海关逐票比对。',
        },
    },
    # ---------------- customs, difficulty 3 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "A seller ships goods worth RMB 300,000 (no licences, no inspection, no tax involved) to its own filed warehouse in the UK to sell later on Amazon and eBay. Which declaration route fits?",
            "zh-hans": "某卖家将价值 30 万元人民币的货物（不涉证、不涉检、不涉税）运往其在英国已备案的自营海外仓，之后在亚马逊和 eBay 销售。应采用哪种申报方式？",
        },
        "points": "3",
        "competency": "customs",
        "difficulty": 3,
        "title": "Choosing the 9810 route",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "9610, because the goods will finally reach consumers",
                        "zh-hans": "9610，因为货物最终卖给消费者",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "9710, simplified declaration with six-digit HS codes",
                        "zh-hans": "9710，按 6 位 HS 编码简化申报",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "9810, simplified declaration because no licences are involved",
                        "zh-hans": "9810，因为不涉证，可以简化申报",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "9810, declared through the standard H2018 system because the shipment exceeds RMB 5,000",
                        "zh-hans": "9810，因单票超过人民币 5,000 元，通过 H2018 标准报关系统申报",
                    },
                },
            ]
        },
        "key": {"correct": "d"},
        "feedback": {
            "en": "Goods moved in bulk to an overseas warehouse are 9810. Simplified declaration applies only to consignments of RMB 5,000 or less that involve no licences, inspection or tax; above that, the standard H2018 declaration is used.",
            "zh-hans": "批量运往海外仓的货物适用 9810。只有单票不超过人民币 5,000 元且不涉证、不涉检、不涉税的才可简化申报，超过的需通过 H2018 系统正常申报。",
        },
    },
    {
        "kind": "ordering",
        "text": {
            "en": "Put the steps of a 9610 B2C export in the correct order.",
            "zh-hans": "将 9610 B2C 出口的步骤按正确顺序排列。",
        },
        "points": "2",
        "competency": "customs",
        "difficulty": 3,
        "title": "9610 flow",
        "content": {
            "items": [
                {
                    "id": "i1",
                    "text": {"en": "Goods physically leave the country", "zh-hans": "货物实际离境"},
                },
                {
                    "id": "i2",
                    "text": {
                        "en": "The e-commerce, logistics and payment companies register with customs",
                        "zh-hans": "电商、物流、支付企业向海关办理注册登记",
                    },
                },
                {
                    "id": "i3",
                    "text": {
                        "en": "Order, payment and waybill data are transmitted for each parcel",
                        "zh-hans": "逐票推送订单、支付和运单数据",
                    },
                },
                {
                    "id": "i4",
                    "text": {
                        "en": "Summary declaration is filed for the period's cleared lists",
                        "zh-hans": "对一段时间内已放行的清单进行汇总申报",
                    },
                },
                {
                    "id": "i5",
                    "text": {
                        "en": "The export list is declared and released (清单核放)",
                        "zh-hans": "申报出口清单并核放",
                    },
                },
            ]
        },
        "key": {"order": ["i2", "i3", "i5", "i1", "i4"], "scoring": "partial"},
        "feedback": {
            "en": "Register first; then data for each parcel, list declaration and release, physical export, and finally summary declaration, which supports tax and foreign-exchange procedures.",
            "zh-hans": "先注册登记，再逐票推送数据、申报清单并放行、货物离境，最后汇总申报，作为退税和结汇的依据。",
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "Under Incoterms 2020, the term in which the seller pays import duty and import VAT at destination is [[1]]. In the EU, consignments with an intrinsic value of up to EUR [[2]] can have VAT collected at the point of sale through IOSS.",
            "zh-hans": "根据 Incoterms 2020，由卖方承担目的国进口关税和进口增值税的术语是 [[1]]。在欧盟，货值不超过 [[2]] 欧元的包裹可以通过 IOSS 在销售环节代收增值税。",
        },
        "points": "2",
        "competency": "customs",
        "difficulty": 3,
        "title": "DDP and IOSS",
        "content": {"blanks": 2},
        "key": {
            "blanks": [
                {"accepted": ["DDP", "Delivered Duty Paid", "完税后交货", "完税交货"]},
                {"accepted": ["150", "€150", "150欧元", "150 欧元"]},
            ],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "DDP puts all costs, including import duty and VAT, on the seller. Since July 2021 the EU's IOSS covers consignments up to EUR 150.",
            "zh-hans": "DDP 下卖方承担包括进口关税和增值税在内的全部费用。自 2021 年 7 月起，欧盟 IOSS 适用于 150 欧元以下的包裹。",
        },
    },
    # ---------------- warehouse, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "Which description best fits **Fulfilment by Amazon (FBA)**?",
            "zh-hans": "以下哪项最符合**亚马逊物流（FBA）**的描述？",
        },
        "points": "1",
        "competency": "warehouse",
        "difficulty": 1,
        "title": "What FBA does",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Amazon buys the seller's stock and resells it",
                        "zh-hans": "亚马逊买断卖家库存后转售",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Amazon stores the seller's stock and picks, packs, ships and handles returns and customer service for Amazon orders",
                        "zh-hans": "亚马逊存储卖家库存，并为亚马逊订单负责拣货、包装、配送、退货和客服",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Amazon collects goods from the seller's factory in China",
                        "zh-hans": "亚马逊到卖家的中国工厂提货",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Amazon acts as the importer of record for the seller",
                        "zh-hans": "亚马逊作为卖家的进口商",
                    },
                },
            ]
        },
        "key": {"correct": "b"},
        "feedback": {
            "en": "The seller keeps ownership; Amazon provides storage and fulfilment. Getting goods to Amazon, including customs and importer of record, remains the seller's job.",
            "zh-hans": "货物所有权仍属于卖家，亚马逊提供仓储和配送。把货送到亚马逊仓库（包括清关和进口商身份）仍是卖家的责任。",
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "Each unit sent to FBA carries an Amazon barcode label called the [[1]]. Offers fulfilled by FBA normally display the [[2]] badge to Amazon members.",
            "zh-hans": "发往 FBA 的每件商品都贴有亚马逊条码标签，称为 [[1]]。由 FBA 配送的商品通常会向亚马逊会员显示 [[2]] 标志。",
        },
        "points": "2",
        "competency": "warehouse",
        "difficulty": 1,
        "title": "FNSKU and Prime",
        "content": {"blanks": 2},
        "key": {
            "blanks": [
                {"accepted": ["FNSKU", "FN SKU", "FNSKU标签", "FNSKU 标签"]},
                {"accepted": ["Prime", "Prime标志", "Prime 标志", "Prime会员", "prime badge"]},
            ],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "The FNSKU identifies your unit in Amazon's fulfilment network; FBA offers are Prime-eligible, which usually raises conversion.",
            "zh-hans": "FNSKU 用来在亚马逊配送网络中识别你的商品；FBA 商品享有 Prime 资格，通常能提高转化率。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "Amazon acts as the importer of record for FBA shipments that sellers send from China to US fulfilment centres.",
            "zh-hans": "对于卖家从中国发往美国 FBA 仓库的货物，亚马逊会担任进口商（IOR）。",
        },
        "points": "1",
        "competency": "warehouse",
        "difficulty": 1,
        "title": "Importer of record",
        "content": {},
        "key": {"correct": False},
        "feedback": {
            "en": "Amazon does not act as importer of record. The seller, or a legitimate agent acting for the seller, must clear customs and pay duties before delivery to Amazon.",
            "zh-hans": "亚马逊不担任进口商。卖家或其合法代理必须在送仓前完成清关并缴纳税费。",
        },
    },
    # ---------------- warehouse, difficulty 2 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "An ASIN has 20 days of FBA stock left, but the full replenishment lead time from the factory is 60 days and nothing is in transit. What is the main risk?",
            "zh-hans": "某 ASIN 的 FBA 库存只够卖 20 天，而从工厂补货的完整周期是 60 天，目前没有在途库存。主要风险是什么？",
        },
        "points": "2",
        "competency": "warehouse",
        "difficulty": 2,
        "title": "Stock-out risk",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {"en": "Aged inventory surcharges", "zh-hans": "超龄库存附加费"},
                },
                {
                    "id": "b",
                    "text": {"en": "Higher monthly storage fees", "zh-hans": "月度仓储费上升"},
                },
                {"id": "c", "text": {"en": "Customs inspection", "zh-hans": "海关查验"}},
                {
                    "id": "d",
                    "text": {
                        "en": "About 40 days out of stock, with lost sales and lost search ranking",
                        "zh-hans": "约 40 天断货，损失销量和搜索排名",
                    },
                },
            ]
        },
        "key": {"correct": "d"},
        "feedback": {
            "en": "60 − 20 = 40 days without stock. A stock-out stops sales and sales velocity, so organic rank drops and takes weeks to recover. Air-freighting part of the order can bridge the gap.",
            "zh-hans": "60 − 20 = 40 天无货可卖。断货会中断销量和销售速度，自然排名随之下滑，恢复需要数周。可以空运部分货物来填补缺口。",
        },
    },
    {
        "kind": "numeric",
        "text": {
            "en": "An ASIN sells **25 units per day**. The total replenishment lead time is **60 days**, and the seller keeps **20 days** of safety stock. What is the reorder point in units?",
            "zh-hans": "某 ASIN 日均销量 **25 件**，补货总周期 **60 天**，卖家保留 **20 天**的安全库存。补货点是多少件？",
        },
        "points": "2",
        "competency": "warehouse",
        "difficulty": 2,
        "title": "Reorder point",
        "content": {"unit": "units"},
        "key": {"value": "2000", "tolerance": "0", "tolerance_mode": "absolute"},
        "feedback": {
            "en": "Reorder point = 25 × 60 + 25 × 20 = 1,500 + 500 = 2,000 units.",
            "zh-hans": "补货点 = 25 × 60 + 25 × 20 = 1,500 + 500 = 2,000 件。",
        },
    },
    {
        "kind": "ordering",
        "text": {
            "en": "Order the steps for sending a shipment into Amazon FBA.",
            "zh-hans": "将向亚马逊 FBA 发货的步骤按顺序排列。",
        },
        "points": "2",
        "competency": "warehouse",
        "difficulty": 2,
        "title": "FBA inbound steps",
        "content": {
            "items": [
                {
                    "id": "i1",
                    "text": {
                        "en": "Book the carrier and ship the cartons",
                        "zh-hans": "预订承运商并发出货箱",
                    },
                },
                {
                    "id": "i2",
                    "text": {
                        "en": "Create the shipment in Seller Central and choose quantities",
                        "zh-hans": "在卖家后台创建货件并确定数量",
                    },
                },
                {
                    "id": "i3",
                    "text": {
                        "en": "Amazon receives, checks in and makes the stock available",
                        "zh-hans": "亚马逊接收、清点并上架可售",
                    },
                },
                {
                    "id": "i4",
                    "text": {
                        "en": "Label each unit with its FNSKU",
                        "zh-hans": "给每件商品贴上 FNSKU 标签",
                    },
                },
                {
                    "id": "i5",
                    "text": {
                        "en": "Pack cartons to Amazon's rules and attach carton labels",
                        "zh-hans": "按亚马逊箱规装箱并贴箱唛",
                    },
                },
            ]
        },
        "key": {"order": ["i2", "i4", "i5", "i1", "i3"], "scoring": "partial"},
        "feedback": {
            "en": "Plan the shipment, label units, pack and label cartons, ship, then Amazon receives. Carton labels are generated from the shipment, so creating it comes first.",
            "zh-hans": "先创建货件，再贴商品标签、装箱贴箱唛、发货，最后由亚马逊接收。箱唛由货件生成，所以创建货件在先。",
        },
    },
    # ---------------- warehouse, difficulty 3 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "A seller of bulky garden furniture sells in the US on Amazon, eBay, Walmart and TikTok Shop. Which warehousing set-up is usually most cost-effective?",
            "zh-hans": "一家大件庭院家具卖家在美国同时经营亚马逊、eBay、沃尔玛和 TikTok Shop。哪种仓储方案通常最划算？",
        },
        "points": "2",
        "competency": "warehouse",
        "difficulty": 3,
        "title": "Multi-channel warehousing",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Main stock in a third-party overseas warehouse serving all channels, with regular transfers of fast sellers into FBA",
                        "zh-hans": "主库存放在服务所有渠道的第三方海外仓，定期把畅销款调拨到 FBA",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "All stock in FBA, using it for every channel",
                        "zh-hans": "全部库存放在 FBA，供所有渠道使用",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Ship every order by express from China",
                        "zh-hans": "每单都从中国用快递直发",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Keep all stock in a bonded warehouse in China",
                        "zh-hans": "全部库存放在国内保税仓",
                    },
                },
            ]
        },
        "key": {"correct": "a"},
        "feedback": {
            "en": "Bulky goods are expensive to store in FBA and express from China is uneconomic. A third-party warehouse can serve every channel and feed FBA with just enough stock for Prime sales.",
            "zh-hans": "大件商品放在 FBA 仓储费高，从中国快递直发也不经济。第三方海外仓可以服务所有渠道，并向 FBA 补充刚好够 Prime 销售的库存。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": "An ASIN has 1,800 units in FBA that are approaching 180 days of age, selling 3 per day. Which actions are sensible? Select all that apply.",
            "zh-hans": "某 ASIN 在 FBA 有 1,800 件库存，库龄即将达到 180 天，日销 3 件。以下哪些做法是合理的？请选出所有正确项。",
        },
        "points": "3",
        "competency": "warehouse",
        "difficulty": 3,
        "title": "Handling aged inventory",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Run a price promotion or Outlet deal to raise sell-through",
                        "zh-hans": "通过降价促销或 Outlet 清仓活动提高售罄率",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Send another 1,000 units so the ASIN never runs out",
                        "zh-hans": "再补 1,000 件，确保永不断货",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Create a removal order to move part of the stock to a cheaper third-party warehouse",
                        "zh-hans": "创建移除订单，把部分库存转到成本更低的第三方仓",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Use FBA Liquidations or disposal for units that cannot be sold profitably",
                        "zh-hans": "对无法盈利销售的部分使用 FBA 批量清货或弃置",
                    },
                },
                {
                    "id": "e",
                    "text": {
                        "en": "Ignore it; aged stock has no extra cost",
                        "zh-hans": "不用管，超龄库存没有额外成本",
                    },
                },
            ]
        },
        "key": {"correct": ["a", "c", "d"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "At 3 per day, 1,800 units is 600 days of supply. Sell faster, move stock out, or liquidate before aged-inventory surcharges apply; adding stock makes it worse.",
            "zh-hans": "日销 3 件时，1,800 件够卖 600 天。应加快销售、移出库存或清货，避免产生超龄库存附加费；继续补货只会更糟。",
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": "Match each FBA term with its meaning.",
            "zh-hans": "将每个 FBA 术语与其含义配对。",
        },
        "points": "3",
        "competency": "warehouse",
        "difficulty": 3,
        "title": "FBA terms",
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "Stranded inventory", "zh-hans": "滞留库存"}},
                {
                    "id": "p2",
                    "text": {"en": "Aged inventory surcharge", "zh-hans": "超龄库存附加费"},
                },
                {"id": "p3", "text": {"en": "Multi-Channel Fulfilment", "zh-hans": "多渠道配送"}},
                {"id": "p4", "text": {"en": "Removal order", "zh-hans": "移除订单"}},
            ],
            "choices": [
                {
                    "id": "c1",
                    "text": {
                        "en": "FBA ships orders from other sales channels, for a fee",
                        "zh-hans": "FBA 付费为其他销售渠道的订单发货",
                    },
                },
                {
                    "id": "c2",
                    "text": {
                        "en": "Stock in a fulfilment centre with no active offer, so it cannot sell",
                        "zh-hans": "在仓库中但没有在售商品信息、无法销售的库存",
                    },
                },
                {
                    "id": "c3",
                    "text": {
                        "en": "A request to return or dispose of stock held in FBA",
                        "zh-hans": "申请把 FBA 库存退回或弃置",
                    },
                },
                {
                    "id": "c4",
                    "text": {
                        "en": "An extra monthly fee on units stored beyond set age thresholds",
                        "zh-hans": "库龄超过规定门槛的商品按月加收的费用",
                    },
                },
                {
                    "id": "c5",
                    "text": {
                        "en": "A fee for labelling units at the factory",
                        "zh-hans": "在工厂贴标的费用",
                    },
                },
            ],
        },
        "key": {"pairs": {"p1": "c2", "p2": "c4", "p3": "c1", "p4": "c3"}},
        "feedback": {
            "en": "Stranded stock has no active listing; the aged surcharge applies past age thresholds; MCF fulfils non-Amazon orders; a removal order takes stock out of FBA.",
            "zh-hans": "滞留库存没有在售的商品信息；超龄附加费在库龄超过门槛后收取；多渠道配送为非亚马逊订单发货；移除订单用于把库存移出 FBA。",
        },
    },
    # ---------------- risk, difficulty 1 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "Tracking shows a parcel as **delivered**, but the buyer says it never arrived. What should you do first?",
            "zh-hans": "物流信息显示包裹**已签收**，但买家说没有收到。你首先应该怎么做？",
        },
        "points": "1",
        "competency": "risk",
        "difficulty": 1,
        "title": "Delivered but not received",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Refuse any help because tracking says delivered",
                        "zh-hans": "物流显示已签收，拒绝任何协助",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Immediately ship a second parcel without checking",
                        "zh-hans": "不做核实，立即补发一个包裹",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Get the proof of delivery (photo, GPS, signature) from the carrier and ask the buyer to check with neighbours or the mailroom",
                        "zh-hans": "向承运商索取签收证明（照片、GPS、签名），并请买家向邻居或收发室核实",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Ask the buyer to file a chargeback",
                        "zh-hans": "让买家去申请信用卡拒付",
                    },
                },
            ]
        },
        "key": {"correct": "c"},
        "feedback": {
            "en": "Proof of delivery often resolves the case (wrong door, neighbour, mailroom) and is also your evidence if the buyer opens a claim.",
            "zh-hans": "签收证明常常能解决问题（送错门、邻居代收、收发室），买家发起索赔时也是你的证据。",
        },
    },
    {
        "kind": "true_false",
        "text": {
            "en": "Since July 2021, goods imported into the EU with a value of EUR 22 or less are still exempt from import VAT.",
            "zh-hans": "自 2021 年 7 月起，进口到欧盟、价值 22 欧元及以下的商品仍然免征进口增值税。",
        },
        "points": "1",
        "competency": "risk",
        "difficulty": 1,
        "title": "EU VAT exemption",
        "content": {},
        "key": {"correct": False},
        "feedback": {
            "en": "The EUR 22 exemption was abolished on 1 July 2021; VAT is now due on all commercial imports, and IOSS lets sellers collect it at checkout for consignments up to EUR 150.",
            "zh-hans": "22 欧元免税额已于 2021 年 7 月 1 日取消，所有商业进口都要缴纳增值税；150 欧元以下的包裹可以通过 IOSS 在结账时代收。",
        },
    },
    {
        "kind": "matching",
        "text": {
            "en": "Match each logistics problem with the best first response.",
            "zh-hans": "将每个物流问题与最佳的第一步处理方式配对。",
        },
        "points": "2",
        "competency": "risk",
        "difficulty": 1,
        "title": "Logistics problem responses",
        "content": {
            "prompts": [
                {
                    "id": "p1",
                    "text": {
                        "en": 'Parcel returned: "address incomplete"',
                        "zh-hans": '包裹被退回："地址不完整"',
                    },
                },
                {
                    "id": "p2",
                    "text": {
                        "en": "Customs holds a parcel and requests documents",
                        "zh-hans": "海关扣留包裹并要求补充资料",
                    },
                },
                {
                    "id": "p3",
                    "text": {
                        "en": "Buyer reports the item arrived broken",
                        "zh-hans": "买家反映商品到货破损",
                    },
                },
            ],
            "choices": [
                {
                    "id": "c1",
                    "text": {
                        "en": "Ask for photos, offer a replacement or refund, and claim on the carrier or insurance",
                        "zh-hans": "请买家提供照片，提供换货或退款，并向承运商或保险公司索赔",
                    },
                },
                {
                    "id": "c2",
                    "text": {
                        "en": "Confirm the full address with the buyer and reship",
                        "zh-hans": "与买家确认完整地址后重新发货",
                    },
                },
                {
                    "id": "c3",
                    "text": {
                        "en": "Send the commercial invoice and product details through the carrier or broker quickly",
                        "zh-hans": "尽快通过承运商或报关行提交商业发票和产品资料",
                    },
                },
                {
                    "id": "c4",
                    "text": {"en": "Mark the order as delivered", "zh-hans": "把订单标记为已送达"},
                },
            ],
        },
        "key": {"pairs": {"p1": "c2", "p2": "c3", "p3": "c1"}},
        "feedback": {
            "en": "Fix the address and reship; answer customs quickly before storage charges or return; document damage and make the buyer whole, then recover the cost from the carrier or insurer.",
            "zh-hans": "地址问题要核实后重发；海关要求资料要尽快提供，以免产生滞留费或被退运；破损要留存证据、先让买家满意，再向承运商或保险公司追偿。",
        },
    },
    # ---------------- risk, difficulty 2 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": "Which Incoterms 2020 rule places the **most** cost and risk on the seller?",
            "zh-hans": "Incoterms 2020 中哪个术语让卖方承担的费用和风险**最多**？",
        },
        "points": "1",
        "competency": "risk",
        "difficulty": 2,
        "title": "Most seller risk",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "EXW", "zh-hans": "EXW（工厂交货）"}},
                {"id": "b", "text": {"en": "FOB", "zh-hans": "FOB（船上交货）"}},
                {"id": "c", "text": {"en": "CIF", "zh-hans": "CIF（成本、保险费加运费）"}},
                {"id": "d", "text": {"en": "DDP", "zh-hans": "DDP（完税后交货）"}},
            ]
        },
        "key": {"correct": "d"},
        "feedback": {
            "en": "Under DDP the seller bears all risks and costs up to delivery at the named destination, including import clearance, duty and VAT. EXW is the opposite extreme.",
            "zh-hans": "DDP 下卖方承担运至指定目的地前的全部风险和费用，包括进口清关、关税和增值税；EXW 则是另一个极端。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": 'Which measures reduce "item not received" disputes for self-fulfilled cross-border orders? Select all that apply.',
            "zh-hans": '对于自发货的跨境订单，以下哪些措施能减少"未收到货"纠纷？请选出所有正确项。',
        },
        "points": "2",
        "competency": "risk",
        "difficulty": 2,
        "title": "Preventing non-receipt disputes",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Upload valid tracking numbers promptly",
                        "zh-hans": "及时上传有效的跟踪单号",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Set a realistic handling time and delivery estimate",
                        "zh-hans": "设置合理的备货时间和预计送达时间",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Ship without tracking to save money",
                        "zh-hans": "为了省钱发无追踪的包裹",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Use signature or photo proof of delivery for high-value orders",
                        "zh-hans": "高货值订单使用签名或拍照签收",
                    },
                },
                {
                    "id": "e",
                    "text": {
                        "en": "Confirm shipment before handing the parcel to the carrier",
                        "zh-hans": "在包裹交给承运商之前就确认发货",
                    },
                },
            ]
        },
        "key": {"correct": ["a", "b", "d"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "Visible tracking, honest delivery promises and proof of delivery prevent and win disputes. Untracked parcels and early confirmation create them.",
            "zh-hans": "可见的物流轨迹、如实的时效承诺和签收证明既能预防纠纷，也能帮你赢得纠纷；无追踪包裹和提前确认发货只会制造纠纷。",
        },
    },
    {
        "kind": "fill_blanks",
        "text": {
            "en": "Amazon expects a valid tracking rate above [[1]]% for self-fulfilled orders. The document that sets out hazard, handling and emergency information for a product such as a lithium battery is the [[2]].",
            "zh-hans": "亚马逊要求自配送订单的有效追踪率高于 [[1]]%。说明锂电池等产品的危险性、操作和应急信息的文件是 [[2]]。",
        },
        "points": "2",
        "competency": "risk",
        "difficulty": 2,
        "title": "Tracking rate and MSDS",
        "content": {"blanks": 2},
        "key": {
            "blanks": [
                {"accepted": ["95"]},
                {
                    "accepted": [
                        "MSDS",
                        "SDS",
                        "Material Safety Data Sheet",
                        "Safety Data Sheet",
                        "化学品安全技术说明书",
                        "安全数据表",
                        "物质安全数据表",
                    ]
                },
            ],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
        "feedback": {
            "en": "Valid tracking rate target: above 95%. Carriers ask for an MSDS (SDS) and, for lithium batteries, a UN38.3 test report.",
            "zh-hans": "有效追踪率目标为 95% 以上。承运商会要求提供 MSDS（SDS），锂电池还需 UN38.3 检测报告。",
        },
    },
    # ---------------- risk, difficulty 3 ----------------
    {
        "kind": "single_choice",
        "text": {
            "en": 'A forwarder offers "double clearance, tax included" (双清包税) shipping to FBA at a price far below the market. What is the main compliance risk?',
            "zh-hans": '一家货代报出远低于市场价的"双清包税"FBA 头程。主要的合规风险是什么？',
        },
        "points": "2",
        "competency": "risk",
        "difficulty": 3,
        "title": "Cheap tax-included forwarder",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {"en": "Transit will be slightly slower", "zh-hans": "时效会稍慢一些"},
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Goods may be undervalued or declared under another company's importer number, risking seizure, penalties and lost stock",
                        "zh-hans": "货物可能被低报货值或借用他人进口商编号申报，面临扣货、罚款和货物损失的风险",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "Amazon will refuse cartons with DDP labels",
                        "zh-hans": "亚马逊会拒收贴有 DDP 标签的货箱",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "The forwarder cannot issue a tracking number",
                        "zh-hans": "货代无法提供跟踪单号",
                    },
                },
            ]
        },
        "key": {"correct": "b"},
        "feedback": {
            "en": "Prices far below cost often mean under-declaration or a borrowed importer of record. If customs audits the shipment, the goods can be seized and the seller's brand and account are exposed.",
            "zh-hans": "远低于成本的价格往往意味着低报或借用进口商身份。一旦被海关稽查，货物可能被扣，卖家的品牌和账户也会受牵连。",
        },
    },
    {
        "kind": "ordering",
        "text": {
            "en": "Order the steps for handling a parcel that appears to be lost in transit.",
            "zh-hans": "将处理疑似运输途中丢失包裹的步骤按顺序排列。",
        },
        "points": "2",
        "competency": "risk",
        "difficulty": 3,
        "title": "Lost parcel handling",
        "content": {
            "items": [
                {
                    "id": "i1",
                    "text": {
                        "en": "Submit the claim with the commercial invoice and proof of value",
                        "zh-hans": "附商业发票和货值证明提交索赔",
                    },
                },
                {
                    "id": "i2",
                    "text": {
                        "en": "Confirm tracking has not moved beyond the carrier's investigation threshold",
                        "zh-hans": "确认物流信息停滞已超过承运商规定的查询时限",
                    },
                },
                {
                    "id": "i3",
                    "text": {
                        "en": "Record the loss and review the carrier's performance (loss rate)",
                        "zh-hans": "登记损失并复核承运商表现（丢件率）",
                    },
                },
                {
                    "id": "i4",
                    "text": {
                        "en": "Reship or refund the buyer so the customer is not kept waiting",
                        "zh-hans": "给买家重发或退款，不让客户继续等待",
                    },
                },
                {
                    "id": "i5",
                    "text": {
                        "en": "Open a trace/investigation with the carrier",
                        "zh-hans": "向承运商发起查询",
                    },
                },
            ]
        },
        "key": {"order": ["i2", "i4", "i5", "i1", "i3"], "scoring": "partial"},
        "feedback": {
            "en": "Confirm the parcel is really stuck, look after the customer first, then pursue the carrier through an investigation and claim, and finally use the data to manage carriers.",
            "zh-hans": "先确认包裹确实停滞，优先照顾客户，再通过查询和索赔向承运商追偿，最后用数据管理承运商。",
        },
    },
    {
        "kind": "multiple_choice",
        "text": {
            "en": "Which statements about cargo insurance under Incoterms 2020 are correct? Select all that apply.",
            "zh-hans": "关于 Incoterms 2020 下货物保险的说法，哪些是正确的？请选出所有正确项。",
        },
        "points": "3",
        "competency": "risk",
        "difficulty": 3,
        "title": "Cargo insurance",
        "content": {
            "options": [
                {
                    "id": "a",
                    "text": {
                        "en": "Under CIF the seller must provide at least minimum cover (Institute Cargo Clauses C)",
                        "zh-hans": "CIF 下卖方至少须投保最低险别（协会货物条款 C）",
                    },
                },
                {
                    "id": "b",
                    "text": {
                        "en": "Under CIP the seller must provide extensive cover (Institute Cargo Clauses A)",
                        "zh-hans": "CIP 下卖方须投保较全面的险别（协会货物条款 A）",
                    },
                },
                {
                    "id": "c",
                    "text": {
                        "en": "The minimum insured amount is 110% of the contract price",
                        "zh-hans": "最低保险金额为合同价格的 110%",
                    },
                },
                {
                    "id": "d",
                    "text": {
                        "en": "Under FOB the seller must insure the goods for the buyer",
                        "zh-hans": "FOB 下卖方须为买方投保",
                    },
                },
                {
                    "id": "e",
                    "text": {
                        "en": "Stock in an overseas warehouse is automatically insured by the shipping line",
                        "zh-hans": "海外仓中的库存自动由船公司承保",
                    },
                },
            ]
        },
        "key": {"correct": ["a", "b", "c"], "scoring": "partial", "penalty": "1"},
        "feedback": {
            "en": "Incoterms 2020 require ICC (C) under CIF, ICC (A) under CIP, and cover of at least 110% of the contract price. FOB places no insurance duty on the seller, and warehouse stock needs its own policy.",
            "zh-hans": "Incoterms 2020 规定 CIF 至少投保 ICC (C)，CIP 须投保 ICC (A)，保险金额至少为合同价格的 110%。FOB 下卖方没有投保义务，海外仓库存需要单独投保。",
        },
    },
    # ---------------- essays ----------------
    {
        "kind": "essay",
        "text": {
            "en": "A Yiwu seller ships about 80 orders a day of 0.3–1.5 kg home accessories to the US and Germany by postal small packet. Compare postal services, dedicated lines and an overseas warehouse for this seller and recommend a logistics plan.",
            "zh-hans": "一家义乌卖家每天约有 80 单、单件 0.3–1.5 公斤的家居饰品，通过邮政小包发往美国和德国。请为该卖家比较邮政小包、专线和海外仓三种方式，并推荐物流方案。",
        },
        "points": "10",
        "competency": "shipping",
        "difficulty": 1,
        "title": "Choosing a logistics plan",
        "content": {"min_words": 50, "max_words": 400},
        "key": {
            "guidance": {
                "en": "Look for: transit time, cost, tracking and customs treatment for each mode; note heavier parcels (>1 kg) become costly by post; dedicated lines with duties handled (DDP) for steady US/DE volume, noting the end of US de minimis for Chinese goods and EU IOSS/VAT; overseas warehouse for best-sellers once demand is stable (2–5 day delivery, better conversion, but stock and storage risk); a phased recommendation (post/line for long tail and tests, warehouse for top SKUs). 2 marks each for comparison quality, cost logic, compliance awareness, recommendation, clarity.",
                "zh-hans": "评分要点：比较各方式的时效、成本、追踪和清关处理；指出 1 公斤以上包裹走邮政成本偏高；美国和德国的稳定件量可用包税（DDP）专线，并注意美国已取消对中国商品的小额免税以及欧盟 IOSS/增值税规则；需求稳定后把畅销款放入海外仓（2–5 天送达、转化更好，但有库存和仓储风险）；分阶段方案（长尾款和测款走小包/专线，头部 SKU 进海外仓）。按对比质量、成本逻辑、合规意识、方案合理性、表达清晰度各 2 分。",
            }
        },
        "feedback": {
            "en": "There is no single best mode; a strong answer segments SKUs by weight and sales volume.",
            "zh-hans": "没有万能的物流方式，好的答案会按重量和销量对 SKU 分层。",
        },
    },
    {
        "kind": "essay",
        "text": {
            "en": "Explain the differences between the 9610, 9710 and 9810 export modes. For a Zhejiang company that sells both to overseas consumers and to overseas retailers, explain which modes it should use and why the choice matters for tax rebates and foreign-exchange settlement.",
            "zh-hans": "请说明 9610、9710、9810 三种出口监管方式的区别。对于一家既卖给海外消费者、又卖给海外零售商的浙江企业，说明它应当采用哪些方式，以及这一选择为什么影响出口退税和收汇结汇。",
        },
        "points": "10",
        "competency": "customs",
        "difficulty": 2,
        "title": "Choosing export modes",
        "content": {"min_words": 100, "max_words": 400},
        "key": {
            "guidance": {
                "en": "Look for: 9610 = B2C parcels, list clearance and summary declaration, three-document data; 9710 = B2B direct export via a CBEC platform with order/contract data; 9810 = bulk export to a filed overseas warehouse; simplified declaration for ≤ RMB 5,000 without licences/inspection/tax, otherwise H2018; mapping: consumer parcels → 9610, retailer orders → 9710, stock to its overseas warehouse → 9810; correct mode creates the customs export record needed for VAT rebate (or 'no invoice, tax exemption' in pilot zones) and for matching foreign-exchange receipts to exports; mention risks of using 'buying declarations' or undeclared express shipments.",
                "zh-hans": '评分要点：9610 为 B2C 包裹，清单核放、汇总申报，三单数据；9710 为通过跨境电商平台的 B2B 直接出口，需订单或合同数据；9810 为批量出口到已备案海外仓；单票 5,000 元以下且不涉证、涉检、涉税的可简化申报，否则走 H2018；对应关系：消费者包裹 → 9610，零售商订单 → 9710，备货到海外仓 → 9810；正确的方式会形成出口报关记录，是办理出口退税（或试验区"无票免税"）以及外汇收入与出口匹配的依据；指出"买单出口"或未申报快递出货的风险。',
            }
        },
        "feedback": {
            "en": "The mode code is not a formality: it is what links the physical export to tax and foreign-exchange records.",
            "zh-hans": "监管方式代码不是走形式，它把实际出口与税务和外汇记录联系起来。",
        },
    },
    {
        "kind": "essay",
        "text": {
            "en": "It is June. Your company sells kitchen appliances through FBA in the US and a third-party warehouse in Germany. Write a Q4 (Black Friday to Christmas) inventory and logistics risk plan: quantities and timing, channels, cost control, and what you will do if sea freight is delayed by two weeks.",
            "zh-hans": "现在是 6 月。你的公司通过美国 FBA 和德国第三方海外仓销售厨房小家电。请制定第四季度（黑五至圣诞）的库存与物流风险预案，包括备货数量和时间节点、渠道安排、成本控制，以及海运延误两周时的应对措施。",
        },
        "points": "10",
        "competency": "warehouse",
        "difficulty": 3,
        "title": "Q4 inventory risk plan",
        "content": {"min_words": 150, "max_words": 400},
        "key": {
            "guidance": {
                "en": "Look for: forecast from last year's Q4 and current trend; reorder point logic with full lead time (production, Chinese holidays such as National Day, sea transit 30–45 days, FBA receiving delays in Q4); FBA inbound cut-off dates and capacity limits; split stock between FBA and third-party warehouse; peak surcharges and higher Q4 storage fees; plan for post-Christmas sell-through and aged stock; contingencies: air freight a portion, transfer from the third-party warehouse, adjust ads/prices to slow sales, alternative ports/carriers, cargo insurance; owners and dates.",
                "zh-hans": "评分要点：依据去年第四季度数据和当前趋势预测销量；按完整补货周期计算补货点（生产、国庆等国内假期、海运 30–45 天、第四季度 FBA 上架变慢）；FBA 入库截止日和库容限制；FBA 与第三方仓的库存分配；旺季附加费和第四季度更高的仓储费；圣诞后的清货和超龄库存计划；应急措施：部分转空运、从第三方仓调拨、调整广告和价格放缓销售、备选港口和承运商、货物保险；明确责任人和时间节点。",
            }
        },
        "feedback": {
            "en": "Q4 rewards sellers who plan backwards from cut-off dates and keep a fallback for every link of the chain.",
            "zh-hans": "第四季度的赢家，是那些从截止日倒排计划、并为每个环节准备备选方案的卖家。",
        },
    },
    # ---------------- practical tasks ----------------
    {
        "kind": "practical",
        "text": {
            "en": "Prepare a freight quotation comparison in a spreadsheet for the shipment described in the instructions.",
            "zh-hans": "根据任务说明中的货物信息，用电子表格完成运费报价对比。",
        },
        "points": "20",
        "competency": "shipping",
        "difficulty": 1,
        "title": "Freight quotation comparison",
        "content": {
            "instructions": {
                "en": "Shipment: 40 cartons of yoga mats, each 65 × 25 × 25 cm, 8.5 kg, from Hangzhou to an FBA warehouse in California.\n\nQuotes: (A) express at USD 5.20/kg, divisor 5000; (B) air freight + delivery at USD 4.10/kg, divisor 6000, plus USD 180 fixed; (C) sea LCL at USD 95 per m³ (W/M), plus USD 260 fixed, transit 35 days.\n\nIn one .xlsx: calculate actual, volumetric and chargeable weight (or m³) for each option, total cost, cost per unit (2 mats per carton) and transit time; recommend an option for a first launch shipment and for routine replenishment, with reasons.",
                "zh-hans": "货物：40 箱瑜伽垫，每箱 65 × 25 × 25 厘米、8.5 公斤，从杭州发往美国加州 FBA 仓。\n\n报价：(A) 快递每公斤 5.20 美元，除数 5000；(B) 空运加派送每公斤 4.10 美元，除数 6000，另加固定费用 180 美元；(C) 海运拼箱每立方米 95 美元（W/M），另加固定费用 260 美元，时效 35 天。\n\n在一个 .xlsx 文件中：计算每种方案的实重、体积重、计费重量（或立方数）、总费用、单件成本（每箱 2 张垫子）和时效；分别为新品首批发货和常规补货推荐方案并说明理由。",
            },
            "allowed_types": ["xlsx"],
            "max_size_mb": 10,
        },
        "key": {
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Weights correct: volume 40,625 cm³/carton; express volumetric 8.125 kg (actual 8.5 kg chargeable, 340 kg total); air volumetric 6.77 kg (340 kg actual chargeable); LCL 1.625 m³",
                        "zh-hans": "重量计算正确：每箱 40,625 立方厘米；快递体积重 8.125 公斤（按实重 8.5 公斤计，共 340 公斤）；空运体积重 6.77 公斤（按实重共 340 公斤）；拼箱 1.625 立方米",
                    },
                    "points": "6",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Costs correct: A ≈ USD 1,768; B ≈ USD 1,574; C ≈ USD 414; per-unit costs derived",
                        "zh-hans": "费用计算正确：A 约 1,768 美元；B 约 1,574 美元；C 约 414 美元；并算出单件成本",
                    },
                    "points": "6",
                },
                {
                    "id": "r3",
                    "criterion": {
                        "en": "Recommendation weighs speed against cost (e.g. air for launch, sea for replenishment) and links it to stock cover",
                        "zh-hans": "推荐方案兼顾时效与成本（如首批空运、补货海运），并与库存可售天数挂钩",
                    },
                    "points": "5",
                },
                {
                    "id": "r4",
                    "criterion": {
                        "en": "Spreadsheet is clear, uses formulas and states assumptions",
                        "zh-hans": "表格清晰，使用公式，并写明假设",
                    },
                    "points": "3",
                },
            ]
        },
        "feedback": {
            "en": "Graded by a teacher and an enterprise mentor against the rubric.",
            "zh-hans": "由教师和企业导师按评分细则双评。",
        },
    },
    {
        "kind": "practical",
        "text": {
            "en": "Prepare the export documents for a 9810 shipment to an overseas warehouse, as described in the instructions.",
            "zh-hans": "按任务说明，为一票 9810 海外仓出口货物准备出口单证。",
        },
        "points": "25",
        "competency": "customs",
        "difficulty": 2,
        "title": "9810 export documents",
        "content": {
            "instructions": {
                "en": "A Jinhua company ships 1,200 stainless-steel water bottles (RMB 42 each) and 800 silicone lunch boxes (RMB 30 each) by sea from Ningbo to its filed warehouse in Felixstowe, UK, under mode 9810.\n\nSubmit one .xlsx or .pdf containing: (1) a commercial invoice and (2) a packing list (carton count, net/gross weights, dimensions, marks) with consistent figures; (3) suggested HS codes (at least six digits) with a short justification; (4) a note on which declaration system applies and why; (5) the Incoterm you would use for the sea leg and who pays UK import duty and VAT.",
                "zh-hans": "金华一家公司以 9810 方式，从宁波海运 1,200 个不锈钢水杯（每个 42 元）和 800 个硅胶饭盒（每个 30 元）到其在英国费利克斯托已备案的海外仓。\n\n提交一个 .xlsx 或 .pdf 文件，包含：(1) 商业发票；(2) 装箱单（箱数、净重/毛重、尺寸、唛头），且与发票数据一致；(3) 建议的 HS 编码（至少 6 位）及简要理由；(4) 说明适用哪个申报系统及原因；(5) 海运段采用的贸易术语，以及由谁承担英国进口关税和增值税。",
            },
            "allowed_types": ["xlsx", "pdf"],
            "max_size_mb": 10,
        },
        "key": {
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Commercial invoice complete and correct (parties, goods, quantities, values totalling RMB 74,400, currency, terms)",
                        "zh-hans": "商业发票完整正确（收发货人、品名、数量、金额合计 74,400 元、币种、贸易术语）",
                    },
                    "points": "7",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Packing list consistent with invoice and realistic weights/dimensions and marks",
                        "zh-hans": "装箱单与发票一致，重量、尺寸和唛头合理",
                    },
                    "points": "6",
                },
                {
                    "id": "r3",
                    "criterion": {
                        "en": "Plausible HS codes (e.g. 9617 vacuum flasks; 3924 plastic/silicone kitchenware) with justification",
                        "zh-hans": "HS 编码合理（如 9617 真空保温容器；3924 塑料/硅胶厨房用品）并有理由",
                    },
                    "points": "5",
                },
                {
                    "id": "r4",
                    "criterion": {
                        "en": "Correct declaration route: value over RMB 5,000 so standard H2018 declaration under 9810; warehouse filing noted",
                        "zh-hans": "申报方式正确：金额超过 5,000 元，应在 9810 下通过 H2018 正常申报；提及海外仓备案",
                    },
                    "points": "4",
                },
                {
                    "id": "r5",
                    "criterion": {
                        "en": "Sensible Incoterm (e.g. FOB/CFR/DAP between related parties) and correct statement that the UK importer (the company's UK entity or agent) pays duty and import VAT",
                        "zh-hans": "贸易术语合理（如关联方之间采用 FOB/CFR/DAP），并正确说明由英国进口方（公司在英主体或代理）缴纳关税和进口增值税",
                    },
                    "points": "3",
                },
            ]
        },
        "feedback": {
            "en": "Graded by a teacher and an enterprise mentor against the rubric.",
            "zh-hans": "由教师和企业导师按评分细则双评。",
        },
    },
    {
        "kind": "practical",
        "text": {
            "en": "Build a 16-week replenishment plan for the FBA product described in the instructions.",
            "zh-hans": "为任务说明中的 FBA 产品制定 16 周补货计划。",
        },
        "points": "25",
        "competency": "warehouse",
        "difficulty": 3,
        "title": "FBA replenishment plan",
        "content": {
            "instructions": {
                "en": "An air fryer sells 30 units/day on Amazon US now and is forecast to reach 60/day in the four weeks around Black Friday. Current FBA stock: 1,500 units; in transit: 1,200 units arriving in 3 weeks. Lead times: production 20 days, trucking and export clearance 5 days, sea freight 32 days, import clearance and delivery 7 days, FBA receiving 10 days (14 in November). Safety stock: 14 days. Carton: 4 units, 0.08 m³.\n\nSubmit one .xlsx with a week-by-week table (opening stock, forecast sales, arrivals, closing stock, days of cover), the purchase orders you would place (date, quantity, mode), the number of cartons and m³ per shipment, and a short risk note (what if a shipment slips two weeks). A chart of stock cover is welcome.",
                "zh-hans": "一款空气炸锅目前在亚马逊美国站日销 30 台，预计黑五前后四周日销升至 60 台。当前 FBA 库存 1,500 台；在途 1,200 台，3 周后到仓。各环节周期：生产 20 天，国内运输及出口报关 5 天，海运 32 天，进口清关及派送 7 天，FBA 上架 10 天（11 月为 14 天）。安全库存 14 天。每箱 4 台，0.08 立方米。\n\n提交一个 .xlsx 文件，包含：按周列出的表格（期初库存、预测销量、到货、期末库存、可售天数），你计划下的采购单（日期、数量、运输方式），每批货的箱数和立方数，以及一段风险说明（若某批货延误两周怎么办）。欢迎附上库存可售天数图表。",
            },
            "allowed_types": ["xlsx"],
            "max_size_mb": 10,
        },
        "key": {
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Lead time correctly totalled (74 days, 78 in November) and reorder point logic applied with 14 days safety stock",
                        "zh-hans": "正确汇总补货周期（74 天，11 月为 78 天），并按 14 天安全库存应用补货点逻辑",
                    },
                    "points": "7",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Week-by-week table consistent (closing = opening + arrivals − sales) with no stock-out in the peak",
                        "zh-hans": "周度表格逻辑一致（期末 = 期初 + 到货 − 销量），旺季不断货",
                    },
                    "points": "7",
                },
                {
                    "id": "r3",
                    "criterion": {
                        "en": "Purchase orders realistic: dates, quantities in full cartons, m³ per shipment, mode choice justified (sea vs air top-up)",
                        "zh-hans": "采购单切实可行：日期、按整箱计的数量、每批立方数，运输方式有依据（海运与空运补充）",
                    },
                    "points": "6",
                },
                {
                    "id": "r4",
                    "criterion": {
                        "en": "Risk note with concrete fallback (air top-up, transfer from third-party warehouse, ad/price throttling) and avoids excess stock after peak",
                        "zh-hans": "风险说明给出具体预案（空运补货、第三方仓调拨、调整广告和价格控量），并避免旺季后库存积压",
                    },
                    "points": "5",
                },
            ]
        },
        "feedback": {
            "en": "Graded by a teacher and an enterprise mentor against the rubric.",
            "zh-hans": "由教师和企业导师按评分细则双评。",
        },
    },
    # ---------------- cloze (embedded answers), shipping, difficulty 1 ----------------
    {
        "kind": "cloze",
        "text": {
            "en": "Complete the shipping note: choose or type the answer in each gap.",
            "zh-hans": "补全这份发货说明：在每个空中选择或填写答案。",
        },
        "points": "3",
        "competency": "shipping",
        "difficulty": 1,
        "title": "Shipping note cloze",
        "content": {
            "text": {
                "en": "Two cartons of **50 × 40 × 40 cm** weigh **12 kg** each. With the express divisor 5000, each carton's volumetric weight is [[g1]] kg, so the express invoice bills the [[g2]], for a total of [[g3]] kg. On the commercial invoice, the Incoterm under which the seller pays the freight and the import duty up to the buyer's door is written [[g4]].",
                "zh-hans": "两个纸箱，每箱 **50 × 40 × 40 厘米**、实重 **12 公斤**。按快递除数 5000 计算，每箱体积重为 [[g1]] 公斤，因此快递账单按[[g2]]计费，两箱合计 [[g3]] 公斤。在商业发票上，卖方承担运费和进口关税、把货送到买方门口的贸易术语写作 [[g4]]。",
            },
            "gaps": [
                {"id": "g1", "type": "number"},
                {
                    "id": "g2",
                    "type": "choice",
                    "options": [
                        {"id": "a", "text": {"en": "actual weight", "zh-hans": "实际重量"}},
                        {"id": "b", "text": {"en": "volumetric weight", "zh-hans": "体积重"}},
                        {
                            "id": "c",
                            "text": {
                                "en": "average of the actual and volumetric weights",
                                "zh-hans": "实重与体积重的平均值",
                            },
                        },
                    ],
                },
                {"id": "g3", "type": "number"},
                {"id": "g4", "type": "short"},
            ],
        },
        "key": {
            "gaps": {
                "g1": {"weight": 1, "value": "16", "tolerance": "0"},
                "g2": {"weight": 1, "correct": ["b"], "partial": {}},
                "g3": {"weight": 1, "value": "32", "tolerance": "0"},
                "g4": {
                    "weight": 1,
                    "accepted": ["DDP", "Delivered Duty Paid", "完税后交货"],
                    "case_sensitive": False,
                },
            }
        },
        "feedback": {
            "en": "Each carton: 50 × 40 × 40 = 80,000 cm³ ÷ 5000 = 16 kg, more than its 12 kg actual weight, so the volumetric weight is billed: 2 × 16 = 32 kg. DDP (Delivered Duty Paid) leaves freight and import duty to the seller.",
            "zh-hans": "每箱 50 × 40 × 40 = 80,000 立方厘米 ÷ 5000 = 16 公斤，大于 12 公斤实重，所以按体积重计费：2 × 16 = 32 公斤。DDP（完税后交货）由卖方承担运费和进口关税。",
        },
    },
    # ---------------- calculation (numbers drawn per attempt), shipping, difficulty 1 ----------------
    {
        "kind": "calculation",
        "text": {
            "en": "An express carrier quotes **{rate_cny} CNY per kg** for parcels to Germany. Your carton measures **{length_cm} × {width_cm} × {height_cm} cm** and weighs **{actual_kg} kg**. The carrier divides length × width × height (in cm) by 5000 to get the volumetric weight, and charges the greater of the actual and the volumetric weight. Work out each step.",
            "zh-hans": "某快递公司发往德国的报价为**每千克 {rate_cny} 元**。你的纸箱尺寸为 **{length_cm} × {width_cm} × {height_cm} 厘米**，实重 **{actual_kg} 千克**。该快递公司以长 × 宽 × 高（厘米）÷ 5000 计算体积重，并按实重与体积重中较大者计费。请逐步计算。",
        },
        "points": "6",
        "competency": "shipping",
        "difficulty": 1,
        "title": "Express parcel: volumetric weight, chargeable weight and freight",
        "content": {
            "steps": [
                {
                    "id": "volumetric",
                    "label": {"en": "Volumetric weight", "zh-hans": "体积重"},
                    "unit": "kg",
                },
                {
                    "id": "chargeable",
                    "label": {"en": "Chargeable weight", "zh-hans": "计费重"},
                    "unit": "kg",
                },
                {"id": "freight", "label": {"en": "Freight", "zh-hans": "运费"}, "unit": "CNY"},
            ]
        },
        "key": {
            "variables": [
                {"name": "length_cm", "min": "30", "max": "60", "decimals": 0},
                {"name": "width_cm", "min": "20", "max": "45", "decimals": 0},
                {"name": "height_cm", "min": "10", "max": "40", "decimals": 0},
                {"name": "actual_kg", "min": "2", "max": "12", "decimals": 1},
                {"name": "rate_cny", "min": "38", "max": "65", "decimals": 1},
            ],
            "steps": [
                {
                    "id": "volumetric",
                    "formula": "length_cm * width_cm * height_cm / 5000",
                    "tolerance": "0.01",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": False,
                },
                {
                    "id": "chargeable",
                    "formula": "max(actual_kg, volumetric)",
                    "tolerance": "0.01",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": True,
                },
                {
                    "id": "freight",
                    "formula": "rate_cny * chargeable",
                    "tolerance": "0.5",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": True,
                },
            ],
        },
        "feedback": {
            "en": "Volumetric weight = L × W × H / 5000; the chargeable weight is the greater of the actual and the volumetric weight; freight = rate × chargeable weight. A light but bulky parcel is charged on its volume.",
            "zh-hans": "体积重 = 长 × 宽 × 高 ÷ 5000；计费重取实重与体积重中的较大者；运费 = 单价 × 计费重。轻泡货按体积计费。",
        },
    },
    # ---------------- calculation (numbers drawn per attempt), customs, difficulty 3 ----------------
    {
        "kind": "calculation",
        "text": {
            "en": "You import a carton of goods worth **{goods_usd} USD** by air. The carton measures **{length_cm} × {width_cm} × {height_cm} cm** and weighs **{actual_kg} kg**. The airline divides length × width × height (in cm) by 6000 for the volumetric weight, charges the greater of the actual and the volumetric weight rounded up to the next 0.5 kg, at **{rate_usd} USD per kg**. Import duty is **{duty_rate} %** of the goods value plus freight. Work out each step; the landed cost is goods + freight + duty.",
            "zh-hans": "你通过空运进口一箱货值 **{goods_usd} 美元**的商品。纸箱尺寸为 **{length_cm} × {width_cm} × {height_cm} 厘米**，实重 **{actual_kg} 千克**。航空公司以长 × 宽 × 高（厘米）÷ 6000 计算体积重，取实重与体积重中的较大者并向上取整到 0.5 千克计费，单价为**每千克 {rate_usd} 美元**。进口关税为（货值 + 运费）的 **{duty_rate}%**。请逐步计算；到岸成本 = 货值 + 运费 + 关税。",
        },
        "points": "10",
        "competency": "customs",
        "difficulty": 3,
        "title": "Air import: chargeable weight, freight, duty and landed cost",
        "content": {
            "steps": [
                {
                    "id": "volumetric",
                    "label": {"en": "Volumetric weight", "zh-hans": "体积重"},
                    "unit": "kg",
                },
                {
                    "id": "chargeable",
                    "label": {
                        "en": "Chargeable weight (rounded up to 0.5 kg)",
                        "zh-hans": "计费重（向上取整到 0.5 千克）",
                    },
                    "unit": "kg",
                },
                {"id": "freight", "label": {"en": "Freight", "zh-hans": "运费"}, "unit": "USD"},
                {
                    "id": "duty",
                    "label": {"en": "Import duty", "zh-hans": "进口关税"},
                    "unit": "USD",
                },
                {
                    "id": "landed",
                    "label": {"en": "Landed cost", "zh-hans": "到岸成本"},
                    "unit": "USD",
                },
            ]
        },
        "key": {
            "variables": [
                {"name": "goods_usd", "min": "800", "max": "3000", "decimals": 0},
                {"name": "length_cm", "min": "40", "max": "80", "decimals": 0},
                {"name": "width_cm", "min": "30", "max": "60", "decimals": 0},
                {"name": "height_cm", "min": "30", "max": "60", "decimals": 0},
                {"name": "actual_kg", "min": "8", "max": "25", "decimals": 1},
                {"name": "rate_usd", "min": "4", "max": "9", "decimals": 2},
                {"name": "duty_rate", "min": "5", "max": "17", "decimals": 1},
            ],
            "steps": [
                {
                    "id": "volumetric",
                    "formula": "length_cm * width_cm * height_cm / 6000",
                    "tolerance": "0.01",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": False,
                },
                {
                    "id": "chargeable",
                    "formula": "ceil(max(actual_kg, volumetric) * 2) / 2",
                    "tolerance": "0",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": True,
                },
                {
                    "id": "freight",
                    "formula": "rate_usd * chargeable",
                    "tolerance": "0.01",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": True,
                },
                {
                    "id": "duty",
                    "formula": "duty_rate / 100 * (goods_usd + freight)",
                    "tolerance": "0.01",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": True,
                },
                {
                    "id": "landed",
                    "formula": "goods_usd + freight + duty",
                    "tolerance": "0.01",
                    "tolerance_mode": "absolute",
                    "points": "2",
                    "carry_error": True,
                },
            ],
        },
        "feedback": {
            "en": "Air freight usually divides by 6000; the chargeable weight is the greater of actual and volumetric weight, rounded up to the next 0.5 kg. Duty here is charged on goods plus freight (a CIF-style value), and the landed cost adds goods, freight and duty.",
            "zh-hans": "空运通常以 6000 为体积重除数；计费重取实重与体积重中的较大者，并向上取整到 0.5 千克。此处关税按货值加运费（类似 CIF 价）计征，到岸成本为货值、运费与关税之和。",
        },
    },
]

STANDARDS: list[dict] = [
    {
        "code": "CBEC-PO",
        "name_en": "CBEC Platform Operation",
        "name_zh": "跨境电商平台运营",
        "description_en": (
            "Certifies the ability to run a cross-border store on marketplaces such as Amazon, eBay, "
            "AliExpress, Shopee and TikTok Shop: building compliant, search-optimised listings, "
            "running advertising against profit targets, analysing sales and traffic data, and "
            "keeping account health and customer service within platform standards."
        ),
        "description_zh": (
            "认证在亚马逊、eBay、速卖通、Shopee、TikTok Shop 等平台运营跨境店铺的能力：制作合规且利于搜索的商品页面，"
            "按利润目标投放广告，分析销售和流量数据，并使账户健康和客户服务符合平台标准。"
        ),
        "competencies": [
            {
                "code": "listing",
                "name_en": "Product listing and search optimisation",
                "name_zh": "商品上架与搜索优化",
                "weight": 30,
            },
            {
                "code": "advertising",
                "name_en": "Advertising and promotion",
                "name_zh": "广告与促销",
                "weight": 25,
            },
            {"code": "data", "name_en": "Data analysis", "name_zh": "数据分析", "weight": 20},
            {
                "code": "service",
                "name_en": "Customer service and account health",
                "name_zh": "客户服务与账户健康",
                "weight": 25,
            },
        ],
        "levels": [
            {
                "level": 1,
                "name_en": "Junior",
                "name_zh": "初级",
                "description_en": "Can create compliant listings, follow platform rules and carry out daily store tasks under supervision.",
                "description_zh": "能在指导下制作合规的商品页面，遵守平台规则，完成店铺日常工作。",
                "validity_years": 3,
            },
            {
                "level": 2,
                "name_en": "Intermediate",
                "name_zh": "中级",
                "description_en": "Can independently run a store's listings and advertising against ACoS and margin targets and read its business reports.",
                "description_zh": "能按 ACoS 和利润目标独立负责店铺的商品页面与广告，并能解读业务报告。",
                "validity_years": 3,
            },
            {
                "level": 3,
                "name_en": "Senior",
                "name_zh": "高级",
                "description_en": "Can diagnose performance problems, lead account-health recovery and plan multi-platform growth for a team.",
                "description_zh": "能诊断经营问题，主导账户健康恢复，并为团队规划多平台增长。",
                "validity_years": 3,
            },
        ],
        "questions": PO_QUESTIONS,
    },
    {
        "code": "CBEC-LM",
        "name_en": "CBEC Logistics Management",
        "name_zh": "跨境电商物流管理",
        "description_en": (
            "Certifies the ability to move cross-border e-commerce goods from China to overseas "
            "customers reliably and at the right cost: choosing shipping modes and calculating "
            "freight, handling export customs (9610, 9710, 9810) and Incoterms, planning overseas "
            "warehouse and FBA inventory, and managing tracking, returns and logistics risk."
        ),
        "description_zh": (
            "认证以合理成本、可靠地将跨境电商货物从中国送达海外客户的能力：选择物流方式并核算运费，"
            "办理出口通关（9610、9710、9810）并运用国际贸易术语，规划海外仓和 FBA 库存，管理物流追踪、退货和物流风险。"
        ),
        "competencies": [
            {
                "code": "shipping",
                "name_en": "Shipping modes and freight costing",
                "name_zh": "物流方式与运费核算",
                "weight": 30,
            },
            {
                "code": "customs",
                "name_en": "Customs clearance and trade terms",
                "name_zh": "通关与贸易术语",
                "weight": 30,
            },
            {
                "code": "warehouse",
                "name_en": "Overseas warehousing and inventory",
                "name_zh": "海外仓储与库存管理",
                "weight": 25,
            },
            {
                "code": "risk",
                "name_en": "Tracking, returns and logistics risk",
                "name_zh": "物流追踪、退货与风险管理",
                "weight": 15,
            },
        ],
        "levels": [
            {
                "level": 1,
                "name_en": "Junior",
                "name_zh": "初级",
                "description_en": "Can book shipments, calculate chargeable weight and prepare basic documents under supervision.",
                "description_zh": "能在指导下订舱发货、计算计费重量并准备基本单证。",
                "validity_years": 3,
            },
            {
                "level": 2,
                "name_en": "Intermediate",
                "name_zh": "中级",
                "description_en": "Can choose modes and export routes, handle customs declarations and run FBA and overseas-warehouse replenishment independently.",
                "description_zh": "能独立选择物流方式和出口监管方式，办理报关，并负责 FBA 和海外仓补货。",
                "validity_years": 3,
            },
            {
                "level": 3,
                "name_en": "Senior",
                "name_zh": "高级",
                "description_en": "Can design a company's cross-border logistics network, control landed cost and manage compliance and peak-season risk.",
                "description_zh": "能设计企业的跨境物流网络，控制到岸成本，管理合规风险和旺季风险。",
                "validity_years": 3,
            },
        ],
        "questions": LM_QUESTIONS,
    },
]

# ---------------- product listings (exams.kinds.listing), practical ----------------
# Each keeps the marketplace rules it was written against: version 1 as seeded by the
# exams migration 0007 (tests check the two agree).
_AMAZON_RULES_V1 = {
    "code": "amazon",
    "version": 1,
    "name": {"en": "Amazon", "zh-hans": "亚马逊"},
    "effective_from": "2025-01-21",
    "title_max_chars": 200,
    "title_banned_characters": "!$?_{}^¬¦",
    "bullets_min": 1,
    "bullets_max": 5,
    "bullet_max_chars": 255,
    "search_terms_max_bytes": 249,
    "description_max_chars": 2000,
    "banned_words": [
        "free shipping",
        "100% quality guaranteed",
        "hot item",
        "best seller",
        "available now",
        "brand new",
        "just launched",
        "last chance",
        "limited time",
        "on sale",
        "cheapest",
        "eco-friendly",
        "environmentally friendly",
        "anti-bacterial",
        "antibacterial",
        "anti-microbial",
        "antimicrobial",
        "full refund",
    ],
}
_SHOPEE_RULES_V1 = {
    "code": "shopee",
    "version": 1,
    "name": {"en": "Shopee", "zh-hans": "Shopee（虾皮）"},
    "effective_from": None,
    "title_max_chars": 120,
    "title_banned_characters": "",
    "bullets_min": 0,
    "bullets_max": 0,
    "bullet_max_chars": None,
    "search_terms_max_bytes": 0,
    "description_max_chars": 3000,
    "banned_words": ["whatsapp", "wechat", "微信", "telegram", "line id"],
}

LISTING_QUESTIONS: list[dict] = [
    {
        "kind": "listing",
        "text": {
            "en": 'Write the Amazon US listing of this product: title, bullet points, backend search terms and description.\n\nProduct: portable Bluetooth speaker, brand "SONORA", 20 W stereo sound, IPX7 waterproof (survives 30 minutes at 1 m), 24-hour battery, built-in microphone for calls, pairs with a second speaker for stereo, USB-C charging, black or blue. Buyers: young adults who take it to the beach, the pool and the shower.',
            "zh-hans": '为下面的产品撰写亚马逊美国站商品页面：标题、五点描述、后台搜索词和商品描述。\n\n产品：便携蓝牙音箱，品牌 "SONORA"，20 瓦立体声，IPX7 防水（1 米水深 30 分钟），24 小时续航，内置通话麦克风，可与第二台音箱配对成立体声，USB-C 充电，黑色或蓝色。目标买家：会把音箱带去海滩、泳池和浴室的年轻人。',
        },
        "points": "20",
        "competency": "listing",
        "difficulty": 1,
        "title": "Amazon listing: Bluetooth speaker",
        "content": {"rules": _AMAZON_RULES_V1},
        "key": {
            "keywords": [
                {"variants": ["bluetooth speaker", "蓝牙音箱"], "in_title": True},
                {"variants": ["SONORA"], "in_title": True},
                {"variants": ["waterproof", "IPX7", "防水"], "in_title": False},
                {"variants": ["24-hour", "24 hour", "24h", "24 小时", "24小时"], "in_title": False},
            ],
            "forbidden": ["JBL", "Bose", "Anker", "Sony", "UE Boom"],
            "points": {
                "title": "2",
                "keywords": "3",
                "forbidden": "2",
                "bullets": "2",
                "search_terms": "1",
                "description": "1",
            },
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Persuasiveness: benefits before features, one clear idea per bullet, proof for each claim",
                        "zh-hans": "说服力：先讲利益再讲功能，每条要点一个清晰卖点，每个说法都有依据",
                    },
                    "points": "4",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Localisation: natural US English, US units and use cases (beach, pool, shower)",
                        "zh-hans": "本地化：地道的美式英语，使用美国单位和使用场景（海滩、泳池、浴室）",
                    },
                    "points": "3",
                },
                {
                    "id": "r3",
                    "criterion": {
                        "en": "Search terms: synonyms and long-tail words not already in the title, no repetition",
                        "zh-hans": "搜索词：包含标题中没有的同义词和长尾词，不重复",
                    },
                    "points": "2",
                },
            ],
        },
        "feedback": {
            "en": "The automatic criteria check the marketplace's limits and words; a teacher and an enterprise mentor mark the rubric.",
            "zh-hans": "自动评分项检查平台的字数限制和用词；评分细则部分由教师和企业导师共同评分。",
        },
    },
    {
        "kind": "listing",
        "text": {
            "en": "Write the Shopee Malaysia listing of this product in English: product name and description (Shopee has no bullet points or search-terms field: put the selling points in the description).\n\nProduct: silicone collapsible water bottle, 600 ml, folds to 4 cm, leak-proof lid with carabiner, BPA-free food-grade silicone, dishwasher safe, four colours. Buyers: hikers and commuters in Malaysia.",
            "zh-hans": "用英文撰写该产品在 Shopee 马来西亚站的商品页面：商品名称和商品描述（Shopee 没有五点描述和搜索词字段，请把卖点写进描述）。\n\n产品：硅胶折叠水杯，600 毫升，可折叠至 4 厘米，带登山扣的防漏杯盖，不含双酚 A 的食品级硅胶，可用洗碗机清洗，四种颜色。目标买家：马来西亚的徒步者和通勤族。",
        },
        "points": "15",
        "competency": "listing",
        "difficulty": 2,
        "title": "Shopee listing: collapsible bottle",
        "content": {"rules": _SHOPEE_RULES_V1},
        "key": {
            "keywords": [
                {
                    "variants": ["collapsible water bottle", "foldable water bottle", "折叠水杯"],
                    "in_title": True,
                },
                {
                    "variants": ["BPA-free", "BPA free", "不含双酚A", "不含双酚 A"],
                    "in_title": False,
                },
                {"variants": ["leak-proof", "leakproof", "防漏"], "in_title": False},
            ],
            "forbidden": ["Nalgene", "Stanley", "Hydro Flask"],
            "points": {
                "title": "2",
                "keywords": "3",
                "forbidden": "3",
                "bullets": "0",
                "search_terms": "0",
                "description": "1",
            },
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {
                        "en": "Persuasiveness: the description opens with the main benefit and lists selling points clearly",
                        "zh-hans": "说服力：描述开头点明主要利益，卖点清晰罗列",
                    },
                    "points": "3",
                },
                {
                    "id": "r2",
                    "criterion": {
                        "en": "Localisation: fits Malaysian buyers (climate, hiking trails, commuting), metric units",
                        "zh-hans": "本地化：贴合马来西亚买家（气候、徒步路线、通勤），使用公制单位",
                    },
                    "points": "3",
                },
            ],
        },
        "feedback": {
            "en": "The automatic criteria check Shopee's limits and words; a teacher and an enterprise mentor mark the rubric.",
            "zh-hans": "自动评分项检查 Shopee 的字数限制和用词；评分细则部分由教师和企业导师共同评分。",
        },
    },
]
PO_QUESTIONS.extend(LISTING_QUESTIONS)
