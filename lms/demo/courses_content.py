# ruff: noqa: E501
"""Demo course content for CBEC Academy (data only).

Five courses, each with two modules of two lessons. Lesson bodies are Markdown,
in English and Simplified Chinese.
"""

COURSES: list[dict] = [
    {
        "code": "seo-marketing",
        "title_en": "SEO Marketing",
        "title_zh": "搜索引擎优化营销",
        "summary_en": (
            "How shoppers find products inside Amazon, eBay, AliExpress, Shopee and TikTok Shop, "
            "and how to make your listings rank. You will research keywords, write titles and "
            "bullet points that both the algorithm and the buyer understand, and prove what works "
            "with search-term reports and controlled A/B tests."
        ),
        "summary_zh": (
            "讲清楚海外买家如何在亚马逊、eBay、速卖通、Shopee 和 TikTok Shop 站内搜到商品，以及怎样让你的"
            "商品排在前面。课程带你完成关键词调研，写出算法和买家都看得懂的标题与五点描述，"
            "并用搜索词报告和 A/B 测试验证优化效果。"
        ),
        "hours": 24,
        "track": "micro_major",
        "prerequisites": [],
        "modules": [
            {
                "title_en": "Marketplace search fundamentals",
                "title_zh": "平台站内搜索基础",
                "lessons": [
                    {
                        "title_en": "Keyword research for marketplace search",
                        "title_zh": "面向平台站内搜索的关键词调研",
                        "body_en": """Marketplace search is not Google. On Amazon roughly two thirds of product searches start in the Amazon search box, and the ranking engine (known as **A9**, with later changes often nicknamed **A10**) has one goal: show the products most likely to be **bought**. Keyword research for a marketplace therefore means finding the words real buyers type *and* checking that those words convert.

### How the ranking engine decides
| Factor group | What it looks at | What you control |
|---|---|---|
| Relevance | Keyword match in title, bullets, description, backend search terms, attributes | Your copy and attribute fields |
| Performance | Click-through rate, conversion rate (unit session %), sales velocity | Price, main image, reviews, offer |
| Availability | In stock, fulfilment method (FBA/Prime), delivery speed | Inventory planning |
| Trust | Review rating, return rate, account health, external traffic | Product quality, service |

A keyword only gets you *into* the candidate set; sales on that keyword move you *up*. A listing that ranks for "bamboo cutting board" and sells well on that term climbs; one that gets clicks but no orders slides down.

### A practical research workflow
1. **Seed terms** – write 5–10 plain descriptions of the product (e.g. *bamboo cutting board*, *wooden chopping board*, *cutting board with juice groove*).
2. **Autocomplete mining** – type each seed into the marketplace search box and record every suggestion, then add a–z after the seed (*bamboo cutting board a…*). Autocomplete is built from real, recent searches.
3. **Competitor mining** – open the top 10 organic results, note the words repeated in their titles, and use a reverse-ASIN tool (Helium 10 Cerebro, Jungle Scout, SellerSprite 卖家精灵) to see which terms drive their traffic.
4. **Sort by intent** – group terms into *head* terms (1–2 words, huge volume, fierce competition) and **long-tail** terms (3+ words such as *bamboo cutting board set of 3 with holder*). Long-tail terms have lower volume but much higher conversion and cheaper ads; a new listing should win them first.
5. **Place the words** – most important terms in the title, supporting terms in the five bullet points, and everything else (synonyms, Spanish terms for the US market, common misspellings) in the **backend search terms** field.

### Backend search terms: the rules
- Amazon US allows **under 250 bytes** in the Search Terms field; anything over the limit may cause the whole field to be ignored. Chinese or accented characters use more than one byte each.
- Separate words with spaces; no commas needed. Do not repeat words already in the title, do not include brand names you do not own, ASINs, or claims like "best" or "cheap".
- Word order and plurals rarely matter: *board cutting bamboo* is indexed like *bamboo cutting board*.

**Exercise:** pick one product from your class case, build a 30-row keyword sheet (term, estimated monthly searches, competing products, head or long-tail, where you will place it) and mark the five long-tail terms you will target first.""",
                        "body_zh": """平台站内搜索和谷歌搜索不是一回事。在亚马逊上，大约三分之二的商品搜索直接从亚马逊搜索框开始，而它的排序引擎（常称 **A9**，后续调整被业内叫作 **A10**）只有一个目标：把最有可能**成交**的商品排在前面。所以做站内关键词调研，既要找到买家真正会输入的词，也要确认这些词能带来订单。

### 排序引擎看什么
| 因素 | 具体指标 | 卖家能控制的 |
|---|---|---|
| 相关性 | 标题、五点、描述、后台搜索词、属性中的关键词匹配 | 文案和属性填写 |
| 表现 | 点击率、转化率（单位会话百分比）、销售速度 | 价格、主图、评论、优惠 |
| 可售性 | 是否有货、配送方式（FBA/Prime）、时效 | 库存计划 |
| 信任度 | 评分、退货率、账户健康、站外引流 | 产品质量和服务 |

关键词只能让商品**进入**候选池，在这个词下产生的销量才能让它**排上去**。一个商品在 "bamboo cutting board" 下既有点击又有转化，排名会上升；只有点击没有订单，排名就会下滑。

### 实操流程
1. **种子词**：用 5–10 个朴素说法描述产品，例如 *bamboo cutting board*、*wooden chopping board*、*cutting board with juice groove*。
2. **挖下拉词**：把种子词输入平台搜索框，记录全部联想词，再在种子词后依次加 a–z。下拉联想来自近期真实搜索。
3. **拆竞品**：打开自然排名前 10 的商品，记下标题中反复出现的词，再用反查 ASIN 工具（Helium 10 Cerebro、Jungle Scout、卖家精灵等）看它们的流量词。
4. **按意图分组**：分成**大词**（1–2 个词，搜索量大、竞争激烈）和**长尾词**（3 个词以上，如 *bamboo cutting board set of 3 with holder*）。长尾词搜索量小，但转化率高、广告便宜，新品应当先拿下长尾词。
5. **布局关键词**：最重要的词放标题，次要词放五点描述，其余的同义词、美国站的西班牙语词、常见拼写错误放进**后台搜索词**。

### 后台搜索词的规则
- 亚马逊美国站 Search Terms 字段须**少于 250 字节**，超限可能导致整个字段不被收录。中文或带重音的字符每个占多个字节。
- 词与词之间用空格分隔即可，不必加逗号；标题里已有的词不要重复，不要写他人品牌、ASIN，以及 "best"、"cheap" 这类宣传词。
- 词序和单复数基本不影响收录：*board cutting bamboo* 与 *bamboo cutting board* 效果相同。

**练习：** 从班级案例中选一个产品，做一张 30 行的关键词表（关键词、预估月搜索量、竞品数量、大词或长尾、计划放置位置），并标出你要优先攻下的 5 个长尾词。""",
                    },
                    {
                        "title_en": "Writing search-optimised titles and bullet points",
                        "title_zh": "撰写利于搜索的标题和五点描述",
                        "body_en": """A title has two readers: the ranking engine, which reads every word, and a shopper scrolling on a phone, who reads about the first 70–80 characters. Put the words that matter most at the front.

### Title formulas by platform
| Platform | Limit | Typical formula |
|---|---|---|
| Amazon | 200 characters (many categories recommend less); a word may not appear more than twice | Brand + core keyword + key feature + material/size + quantity |
| eBay | 80 characters | Brand + product + model + key spec + condition |
| AliExpress | 128 characters | Core keyword + attributes + use scenario |
| Shopee | varies by site, about 100–120 characters | Core keyword + spec + selling point; local language on local sites |

Example (Amazon): **"HOMEBAM Bamboo Cutting Board Set of 3 with Juice Groove and Holder – Wooden Chopping Boards for Kitchen, Meat, Vegetables"**. Avoid ALL CAPS, promotional words (*best seller*, *free shipping*) and special characters such as `!`, `$` or `{}` – Amazon can suppress titles that contain them.

### Bullet points that sell
Amazon gives you five bullet points. A proven pattern is **BENEFIT IN CAPITALS – proof in plain words**:
- **JUICE GROOVE KEEPS COUNTERS CLEAN** – a 1 cm deep channel around the edge holds up to 100 ml of meat juice.
- **THREE SIZES FOR EVERY TASK** – 38×28 cm, 33×23 cm and 25×18 cm boards for carving, chopping and serving.

Each bullet should answer one buying question (size, material, use, care, guarantee) and naturally include one or two supporting keywords. Keep each bullet under about 250 characters so it is readable on mobile.

### Common mistakes
1. Keyword stuffing: repeating "cutting board" six times lowers conversion and does not add relevance.
2. Translating Chinese copy word by word; have a native speaker or a good style guide check tone and units (inches and pounds for the US, cm and kg for Europe).
3. Leaving attributes empty. Filters such as *material*, *colour* and *size* are search fields too; an unfilled attribute means you disappear when the shopper filters.""",
                        "body_zh": """标题有两类读者：一是排序引擎，它会读每一个词；二是用手机浏览的买家，他们通常只看前 70–80 个字符。所以最重要的词要放在最前面。

### 各平台标题公式
| 平台 | 长度限制 | 常用结构 |
|---|---|---|
| 亚马逊 | 200 个字符（不少类目建议更短）；同一个词最多出现两次 | 品牌 + 核心词 + 主要卖点 + 材质/尺寸 + 数量 |
| eBay | 80 个字符 | 品牌 + 产品 + 型号 + 关键规格 + 新旧状态 |
| 速卖通 | 128 个字符 | 核心词 + 属性词 + 使用场景 |
| Shopee | 各站点不同，约 100–120 个字符 | 核心词 + 规格 + 卖点；本地站点用当地语言 |

亚马逊示例：**"HOMEBAM Bamboo Cutting Board Set of 3 with Juice Groove and Holder – Wooden Chopping Boards for Kitchen, Meat, Vegetables"**。不要全部大写，不要用 *best seller*、*free shipping* 等宣传语，也不要用 `!`、`$`、`{}` 等特殊符号，否则标题可能被亚马逊屏蔽。

### 能促成购买的五点描述
亚马逊提供五条要点。常用写法是**大写的利益点 + 简洁的证据**：
- **JUICE GROOVE KEEPS COUNTERS CLEAN** – 边缘 1 厘米深的导流槽可容纳约 100 毫升肉汁。
- **THREE SIZES FOR EVERY TASK** – 38×28、33×23、25×18 厘米三种尺寸，切肉、切菜、摆盘各有分工。

每一条回答买家的一个疑问（尺寸、材质、用途、保养、售后），并自然带上一两个次要关键词。每条控制在 250 个字符左右，方便手机阅读。

### 常见错误
1. 堆砌关键词：把 "cutting board" 重复六次不会提高相关性，反而拉低转化。
2. 逐字翻译中文文案：请母语人士或按写作规范检查语气和单位（美国用英寸、磅，欧洲用厘米、千克）。
3. 属性不填：材质、颜色、尺寸等筛选项也是搜索字段，属性空着，买家一筛选你的商品就消失了。""",
                    },
                ],
            },
            {
                "title_en": "Measuring and improving search performance",
                "title_zh": "衡量并提升搜索表现",
                "lessons": [
                    {
                        "title_en": "Checking indexing and reading search-term reports",
                        "title_zh": "检查收录与解读搜索词报告",
                        "body_en": """Writing keywords into a listing does not guarantee that the listing is **indexed** (eligible to appear) for them. Check, then measure.

### Indexing check
Search the marketplace for the exact term plus your ASIN or a unique word from your title, e.g. `B0XXXXXXX bamboo cutting board`. If your product appears, it is indexed for that term. If not, the term may be too long for the backend field, blocked as a restricted word, or conflicting with your category. Repeat the check one to two days after every listing edit.

### Search-term report (Sponsored Products)
Even a small automatic campaign (for example USD 10 per day for two weeks) shows which customer search terms trigger impressions, clicks and orders. Download the report from Campaign Manager and sort it:

| Search term | Clicks | Orders | Conversion | Action |
|---|---|---|---|---|
| bamboo cutting board set | 120 | 18 | 15% | Move to manual exact; add to title if missing |
| cutting board with holder | 45 | 6 | 13% | Add to bullets |
| plastic cutting board | 60 | 0 | 0% | Add as negative exact |

Conversion here means orders ÷ clicks. Terms that convert above your listing average deserve a prominent place in the copy; terms with many clicks and no orders are irrelevant and should be negated in ads.

### Brand Analytics
Brand-registered sellers can open **Search Query Performance** and **Top Search Terms** in Brand Analytics to see how often a term is searched and what share of clicks and purchases your brand captures. Use it monthly to spot new long-tail terms, seasonal shifts (e.g. *gift set* in November) and terms where you get clicks but lose the sale to a competitor.""",
                        "body_zh": """把关键词写进商品页面，并不代表商品一定被这些词**收录**（有资格出现在结果中）。要先检查，再衡量。

### 收录检查
在前台搜索"精确关键词 + 你的 ASIN 或标题中的独特词"，例如 `B0XXXXXXX bamboo cutting board`。能搜到说明该词已收录；搜不到则可能是后台字段超长、触发了限制词，或与类目不符。每次修改页面后，隔一两天再检查一次。

### 商品推广搜索词报告
哪怕只开一个小预算的自动广告（比如每天 10 美元、跑两周），也能看到哪些买家搜索词带来了曝光、点击和订单。在广告管理后台下载报告后排序：

| 搜索词 | 点击 | 订单 | 转化率 | 处理 |
|---|---|---|---|---|
| bamboo cutting board set | 120 | 18 | 15% | 移入手动精准组；标题里没有就加上 |
| cutting board with holder | 45 | 6 | 13% | 写入五点描述 |
| plastic cutting board | 60 | 0 | 0% | 设为精准否定词 |

这里的转化率 = 订单 ÷ 点击。转化率高于页面平均水平的词，应在文案中放在显眼位置；点击多却没有订单的词说明不相关，应在广告中否定。

### 品牌分析
完成品牌备案的卖家可以在品牌分析（Brand Analytics）中查看**搜索查询表现**和**热门搜索词**，了解某个词的搜索频率，以及你的品牌拿到了多少点击和购买份额。建议每月看一次，用来发现新的长尾词、季节性变化（如 11 月的 *gift set*），以及"有点击却被竞品抢走成交"的词。""",
                    },
                    {
                        "title_en": "A/B testing listings",
                        "title_zh": "商品页面的 A/B 测试",
                        "body_en": """Opinions about which title or main image is "better" are cheap; an **A/B test** settles the question with buyer behaviour. Two versions run at the same time, shoppers are split randomly, and you compare the results.

### Amazon Manage Your Experiments
Brand-registered sellers can test the **title, main image, bullet points, description and A+ content** of eligible ASINs (those with enough recent traffic). Amazon splits traffic 50/50 and reports units sold, sales, conversion rate and the **probability that one version is better**. Recommended duration is 8–10 weeks; the minimum is 4 weeks. Let the test finish even if one version leads early – weekday and weekend shoppers behave differently.

### Designing a good test
1. **One variable at a time.** If you change the main image *and* the title, you will not know which change worked.
2. **Write a hypothesis:** "A main image that shows all three boards fanned out will raise the click-through rate because shoppers see the set size at a glance."
3. **Pick the metric before you start:** click-through rate for images and titles, conversion rate for bullets and A+ content.
4. **Keep everything else stable:** no price changes, coupons or big ad budget changes during the test.

### Reading the result
Suppose version A had 4,000 sessions and 400 orders (10% conversion) and version B had 4,100 sessions and 492 orders (12%). A 2-point lift on this volume is convincing, and Amazon would show a high probability that B is better. If the lift were 10.0% vs 10.3% on 300 sessions each, the honest conclusion is "no difference yet". Publish the winner, record the result in a test log, and plan the next test.

On other platforms without a built-in tool (eBay, Shopee, independent Shopify stores) you can run a **sequential test** – two weeks of A then two weeks of B – but seasonality makes this weaker evidence, so compare with the same weeks of the previous year where possible.""",
                        "body_zh": """"哪个标题、哪张主图更好"，凭感觉争论没有意义，**A/B 测试**用买家行为来回答。两个版本同时上线，买家随机分流，最后比较结果。

### 亚马逊"管理实验"（Manage Your Experiments）
完成品牌备案的卖家，可以对流量达标的 ASIN 测试**标题、主图、五点描述、商品描述和 A+ 页面**。亚马逊按 50/50 分流，报告销量、销售额、转化率以及**某一版本更优的概率**。建议测试 8–10 周，最短 4 周。即使某个版本早早领先，也要让测试跑完，因为工作日和周末的买家行为不一样。

### 如何设计一个好测试
1. **一次只改一个变量**。主图和标题同时改，就分不清是哪个起了作用。
2. **写下假设**：例如"三块砧板呈扇形展开的主图能让买家一眼看出是套装，因此点击率会提高"。
3. **先定衡量指标**：主图和标题看点击率，五点描述和 A+ 看转化率。
4. **其他条件保持不变**：测试期间不调价、不发优惠券、不大幅改广告预算。

### 如何解读结果
假设 A 版有 4,000 次会话、400 单（转化率 10%），B 版有 4,100 次会话、492 单（12%）。在这个样本量下提升 2 个百分点很有说服力，亚马逊也会显示 B 版更优的概率很高。如果两版各只有 300 次会话，转化率是 10.0% 对 10.3%，正确结论是"暂时没有差异"。上线胜出版本，把结果记入测试日志，再规划下一次测试。

eBay、Shopee 或 Shopify 独立站没有内置工具时，可以做**先后测试**：先跑两周 A 版，再跑两周 B 版。但季节因素会干扰结果，证据较弱，尽量与去年同期数据对照。""",
                    },
                ],
            },
        ],
    },
    {
        "code": "international-marketing",
        "title_en": "International Marketing",
        "title_zh": "国际市场营销",
        "summary_en": (
            "Choosing which overseas markets to sell in and adapting products, prices and messages "
            "to them. The course covers market screening with data, localisation, the global "
            "promotion calendar, and social and influencer marketing on TikTok, Instagram and YouTube."
        ),
        "summary_zh": (
            "学习如何选择目标海外市场，并让产品、价格和宣传内容适应当地。课程涵盖用数据筛选市场、"
            "本地化、全球促销日历，以及在 TikTok、Instagram、YouTube 上开展社交媒体和达人营销。"
        ),
        "hours": 32,
        "track": "major",
        "prerequisites": [],
        "modules": [
            {
                "title_en": "Understanding overseas markets",
                "title_zh": "认识海外市场",
                "lessons": [
                    {
                        "title_en": "Screening target markets with PESTEL and data",
                        "title_zh": "用 PESTEL 和数据筛选目标市场",
                        "body_en": """A Zhejiang seller of air fryers cannot be everywhere at once. Market screening narrows 200 countries down to the two or three where your product, price and logistics fit best.

### Step 1 – PESTEL filter
| Factor | Questions to ask | Example (small kitchen appliances) |
|---|---|---|
| Political | Trade barriers, anti-dumping duties, sanctions | Check the US Section 301 tariff list for your HS code |
| Economic | Income per head, online spend, currency stability | Turkey: strong demand, but high inflation and volatile lira |
| Social | Household size, cooking habits, language | Small households in Japan favour compact 2–3 L models |
| Technological | E-commerce penetration, payment methods | Card-heavy US vs. cash-on-delivery share in parts of Southeast Asia and the Middle East |
| Environmental | Packaging and recycling laws, WEEE | Germany requires packaging registration (LUCID) and WEEE registration for electrical goods |
| Legal | Product certification, plugs and voltage | CE/UKCA marking for Europe/UK; FCC and UL for the US; 230 V vs 120 V |

### Step 2 – demand and competition data
- **Google Trends** for seasonality and relative interest by country.
- **Marketplace best-seller lists** (Amazon Best Sellers, Shopee Top Products) for price bands and review counts; a category whose top 10 all have more than 5,000 reviews is hard to enter.
- **Customs and platform reports** for export volume by destination.

### Step 3 – score and decide
Give each candidate market a 1–5 score on demand, competition, logistics cost, compliance cost and margin; weight them (for example 30/20/20/15/15) and rank. Write down the two assumptions that would change your decision, and test them with a small first shipment before committing a full container.""",
                        "body_zh": """一家浙江的空气炸锅卖家不可能同时做全世界。市场筛选就是把 200 多个国家缩小到两三个：产品、价格和物流都最匹配的市场。

### 第一步：PESTEL 过滤
| 因素 | 要问的问题 | 示例（厨房小家电） |
|---|---|---|
| 政治 | 贸易壁垒、反倾销税、制裁 | 按 HS 编码查询美国 301 关税清单 |
| 经济 | 人均收入、网购支出、汇率稳定性 | 土耳其需求旺盛，但通胀高、里拉波动大 |
| 社会 | 家庭规模、烹饪习惯、语言 | 日本小家庭多，偏好 2–3 升的小容量机型 |
| 技术 | 电商渗透率、支付方式 | 美国以刷卡为主；东南亚和中东部分地区货到付款比例较高 |
| 环境 | 包装与回收法规、WEEE | 德国要求包装注册（LUCID），电器还须 WEEE 注册 |
| 法律 | 产品认证、插头与电压 | 欧盟/英国需 CE/UKCA 标志；美国需 FCC、UL；230V 与 120V 的区别 |

### 第二步：需求与竞争数据
- 用 **Google Trends** 看季节性和各国的相对热度。
- 看**平台热销榜**（亚马逊 Best Sellers、Shopee 热销商品）了解价格带和评论数量；如果某类目前 10 名评论都超过 5,000 条，新卖家很难进入。
- 参考**海关和平台报告**，了解对各目的地的出口规模。

### 第三步：打分决策
对每个候选市场在需求、竞争、物流成本、合规成本、利润五个维度打 1–5 分，按权重（如 30/20/20/15/15）加总排序。写下两个一旦不成立就会改变结论的关键假设，先小批量试发验证，再决定是否整柜备货。""",
                    },
                    {
                        "title_en": "Localisation and cultural adaptation",
                        "title_zh": "本地化与文化适应",
                        "body_en": """Localisation is more than translation. Shoppers buy when a listing feels written *for them*: their units, their sizes, their holidays, their way of speaking.

### What to localise
- **Language and tone.** American English is direct and benefit-led ("Cuts prep time in half"); German shoppers expect precise technical data; Japanese listings favour polite, detailed explanations. Use native speakers for final copy; machine translation is a first draft only.
- **Units and formats.** Inches/pounds/°F and MM/DD/YYYY for the US; cm/kg/°C and DD.MM.YYYY in most of Europe; a comma as decimal separator in Germany and France (12,99 €).
- **Sizes.** A Chinese size L garment is often a US S or M. Publish a size chart in cm *and* inches with body measurements, not only garment measurements – it is the single best way to cut apparel returns.
- **Images and colours.** Show models and homes that look like the target market. White is associated with mourning in parts of East Asia; green has strong positive associations in many Muslim-majority markets.
- **Prices.** Prices shown to EU and UK consumers must include VAT; US prices are shown before sales tax.

### Cultural distance as a checklist
Hofstede's dimensions are a useful reminder, not a rule: high *uncertainty-avoidance* markets (Germany, Japan) respond to warranties, certificates and detailed specifications; *individualist* markets (US, UK) respond to self-expression and personal benefit; more *collectivist* markets (Indonesia, Philippines) respond to social proof, family scenes and group deals.

### Mini-case
A Yiwu seller of party supplies launched on Shopee Philippines with the same product photos used for the US. Conversion stayed below 1%. After re-shooting with Filipino family celebrations, adding Taglish captions ("Perfect for your birthday handaan!") and listing bundle prices in pesos ending in 9, conversion rose to 3.4% within a month.""",
                        "body_zh": """本地化不只是翻译。只有当页面让买家觉得"就是写给我的"——用他们的单位、尺码、节日和说话方式——他们才会下单。

### 需要本地化的内容
- **语言与语气**：美式英语直接、突出利益点（"Cuts prep time in half"）；德国买家看重准确的技术参数；日本页面偏好礼貌、详尽的说明。定稿请母语人士把关，机器翻译只能当初稿。
- **单位与格式**：美国用英寸、磅、华氏度，日期为 月/日/年；欧洲多数国家用厘米、千克、摄氏度，日期为 日.月.年；德国和法国用逗号作小数点（12,99 €）。
- **尺码**：中国 L 码服装常常只相当于美国 S 或 M 码。尺码表要同时给出厘米和英寸，并提供人体尺寸而不只是衣服尺寸，这是降低服装退货率最有效的办法。
- **图片与颜色**：模特和家居场景要贴近目标市场。东亚部分地区白色与丧事相关；在许多穆斯林人口为主的市场，绿色寓意积极。
- **价格**：面向欧盟和英国消费者的标价必须含增值税；美国标价不含销售税。

### 用文化维度做检查
霍夫斯泰德文化维度是提醒而非定律：**不确定性规避**高的市场（德国、日本）更认可质保、认证和详细参数；**个人主义**市场（美国、英国）更吃"表达自我、个人受益"的诉求；偏**集体主义**的市场（印度尼西亚、菲律宾）更看重口碑、家庭场景和团购优惠。

### 小案例
一家义乌派对用品卖家入驻 Shopee 菲律宾站时，直接沿用美国站的产品图，转化率一直低于 1%。改拍菲律宾家庭聚会场景、使用当地常见的英语和他加禄语混合文案（"Perfect for your birthday handaan!"）、并把组合装价格设成以 9 结尾的比索价后，一个月内转化率升到 3.4%。""",
                    },
                ],
            },
            {
                "title_en": "Reaching overseas customers",
                "title_zh": "触达海外客户",
                "lessons": [
                    {
                        "title_en": "The global promotion calendar and pricing",
                        "title_zh": "全球促销日历与定价",
                        "body_en": """Cross-border sellers plan around other people's holidays. Because sea freight to an overseas warehouse takes 25–45 days door to door, stock for a peak must leave China **two to three months** before it.

### Key peaks
| Period | Event | Main markets |
|---|---|---|
| Jan–Feb | Chinese New Year (factories close ~2–4 weeks: ship before!) | Supply-side risk |
| Varies (lunar) | Ramadan and Eid | Middle East, Indonesia, Malaysia |
| July | Amazon Prime Day | US, Europe, Japan |
| 9.9, 10.10, 11.11, 12.12 | Double-day sales | Shopee, Lazada, AliExpress, TikTok Shop in Southeast Asia |
| Late November | Black Friday and Cyber Monday | US, Europe, increasingly worldwide |
| December | Christmas gifting | US, Europe, Australia |

### Pricing for foreign markets
Start from **landed cost**, not factory cost: product + first-leg freight + duty + platform commission (Amazon typically 8–15%) + fulfilment fee + advertising + returns allowance. Then check the competitive price band.

Example: landed cost USD 11.40, target 20% net margin, commission 15%, ad budget 10% of price. Price = 11.40 ÷ (1 − 0.15 − 0.10 − 0.20) = **USD 20.73**, rounded to the psychological price **USD 19.99 or 20.99** after checking competitors.

### Promotion discipline
- Amazon **strike-through prices** need a genuine reference price; deals and coupons require a minimum discount and a recent-price history, so do not raise the price just before an event.
- Record the margin at the deal price *before* you enrol. A 30% Lightning Deal on a 20% margin product loses money on every unit unless the ranking gain keeps paying afterwards.
- In the EU, the Omnibus Directive requires that any announced price reduction refers to the lowest price of the prior 30 days.""",
                        "body_zh": """跨境卖家要围绕别国的节日做计划。海运到海外仓门到门需要 25–45 天，所以旺季备货必须提前**两到三个月**从国内发出。

### 主要节点
| 时间 | 活动 | 主要市场 |
|---|---|---|
| 1–2 月 | 春节（工厂停工约 2–4 周，务必提前出货） | 供应端风险 |
| 按伊斯兰历浮动 | 斋月和开斋节 | 中东、印度尼西亚、马来西亚 |
| 7 月 | 亚马逊 Prime 会员日 | 美国、欧洲、日本 |
| 9.9、10.10、11.11、12.12 | 双数日大促 | 东南亚的 Shopee、Lazada、速卖通、TikTok Shop |
| 11 月下旬 | 黑色星期五和网络星期一 | 美国、欧洲，并日益全球化 |
| 12 月 | 圣诞礼品季 | 美国、欧洲、澳大利亚 |

### 海外市场定价
定价要从**到岸成本**而不是出厂价算起：产品成本 + 头程运费 + 关税 + 平台佣金（亚马逊一般为 8–15%）+ 配送费 + 广告 + 退货预留，再对照竞品价格带。

举例：到岸成本 11.40 美元，目标净利率 20%，佣金 15%，广告占售价 10%。售价 = 11.40 ÷（1 − 0.15 − 0.10 − 0.20）= **20.73 美元**，再参考竞品取心理价位 **19.99 或 20.99 美元**。

### 促销纪律
- 亚马逊的**划线价**需要真实的参考价；秒杀和优惠券对折扣幅度和近期价格历史都有要求，活动前临时涨价行不通。
- 报名前先算好活动价下的利润。一个利润率 20% 的产品参加 7 折秒杀，每卖一件都在亏钱，除非活动带来的排名提升能在活动后持续带来收益。
- 在欧盟，《综合指令》（Omnibus Directive）要求宣传降价时须以此前 30 天内的最低价作为参考价。""",
                    },
                    {
                        "title_en": "Social media and influencer marketing",
                        "title_zh": "社交媒体与达人营销",
                        "body_en": """Marketplace ads capture demand that already exists; social media **creates** demand. For new or visual products – beauty tools, gadgets, home décor – short video is now the main discovery channel, and TikTok Shop lets viewers buy without leaving the video.

### Choosing channels
- **TikTok / TikTok Shop:** short, entertaining demos; the first 3 seconds decide whether a viewer stays. Live-stream selling works well in Southeast Asia and increasingly in the US and UK.
- **Instagram and Pinterest:** aspirational images for fashion, home and gifts; Pinterest users plan purchases weeks ahead.
- **YouTube:** longer reviews and tutorials for considered purchases (electronics, tools), which keep ranking in Google search for years.
- **Facebook groups:** still strong for hobbies and local communities in the Philippines, Vietnam and among older US shoppers.

### Working with creators
1. Prefer **micro-influencers** (10k–100k followers) in your niche: engagement rates are usually higher and fees lower than big accounts.
2. Check audience location and fake followers with the platform's creator tools before paying.
3. Offer a free sample plus commission (TikTok Shop affiliate commissions of 10–20% are common) rather than a large flat fee at first.
4. Give a brief, not a script: the key message, one must-show feature, the discount code, and the do-nots.
5. Require disclosure. In the US the FTC expects clear labels such as **#ad** or "Paid partnership"; the UK ASA and EU rules are similar. Undisclosed paid posts put both the creator and your brand at risk.

### Measuring results
Give each creator a unique discount code or affiliate link and track views → clicks → orders. Calculate the cost per order (fee + samples + commission ÷ orders) and compare it with the ACoS of your marketplace ads. Reuse the best-performing creator videos as ads (with permission) – this is often cheaper than producing your own.""",
                        "body_zh": """平台站内广告收割的是已有需求，社交媒体则能**创造**需求。对于新奇、视觉化的产品（美妆工具、小电器、家居装饰），短视频已成为主要的发现渠道，而 TikTok Shop 让观众不离开视频就能下单。

### 渠道选择
- **TikTok / TikTok Shop**：简短有趣的演示，前 3 秒决定观众是否停留。直播带货在东南亚效果很好，在美国和英国也在快速增长。
- **Instagram 和 Pinterest**：适合服装、家居、礼品等"种草"型图片；Pinterest 用户往往提前数周规划购买。
- **YouTube**：适合电子产品、工具等决策周期长的商品，长测评和教程能在谷歌搜索中长期获得排名。
- **Facebook 群组**：在菲律宾、越南以及美国年龄较大的买家中，兴趣和本地社群依然活跃。

### 与达人合作
1. 优先选择垂直领域的**中小达人**（1 万–10 万粉丝）：互动率通常更高，费用更低。
2. 付款前用平台的创作者工具核查粉丝所在地区和虚假粉丝。
3. 起步阶段用"免费样品 + 佣金"代替高额固定费用（TikTok Shop 联盟佣金 10–20% 很常见）。
4. 给简报而不是逐字脚本：核心信息、必须展示的一个功能、折扣码和禁止事项。
5. 要求明确标注广告。美国联邦贸易委员会（FTC）要求使用 **#ad** 或 "Paid partnership" 等清晰标识，英国广告标准局和欧盟规则类似。未标注的付费内容会让达人和品牌都面临风险。

### 效果衡量
给每位达人分配专属折扣码或联盟链接，跟踪"播放 → 点击 → 订单"。计算单均成本（费用 + 样品 + 佣金）÷ 订单数，并与站内广告的 ACoS 比较。经授权后，把表现最好的达人视频投放为广告，往往比自己拍摄更省钱。""",
                    },
                ],
            },
        ],
    },
    {
        "code": "online-shop-artwork",
        "title_en": "Online Shop Artwork",
        "title_zh": "网店美工",
        "summary_en": (
            "Product photography and visual design for cross-border stores. You will learn the image "
            "rules of the major marketplaces, shoot and retouch compliant main images, design "
            "infographics and lifestyle images, and build A+ content and storefront pages that convert."
        ),
        "summary_zh": (
            "面向跨境店铺的产品摄影与视觉设计。学习各大平台的图片规则，拍摄并精修合规主图，"
            "设计卖点信息图和场景图，制作能提升转化的 A+ 页面和店铺首页。"
        ),
        "hours": 24,
        "track": "micro_major",
        "prerequisites": [],
        "modules": [
            {
                "title_en": "Product photography",
                "title_zh": "产品摄影",
                "lessons": [
                    {
                        "title_en": "Main image requirements on the major marketplaces",
                        "title_zh": "主流平台的主图要求",
                        "body_en": """The main image is the only thing a shopper sees in search results besides the title and price, so it drives click-through rate more than any other element. It is also the image most often rejected for breaking rules.

### Amazon main image rules (summary)
- **Pure white background**, RGB 255, 255, 255. Off-white (e.g. 245, 245, 245) can get the listing suppressed.
- The product fills **at least 85%** of the frame.
- **At least 1000 px on the longest side** so that the zoom function works (1600–2000 px is a good working size); the maximum is 10,000 px. JPEG is preferred; TIFF, PNG and non-animated GIF are accepted.
- Only the product that is sold: no text, logos, watermarks, badges, borders, colour blocks or props that are not included.
- A real photograph, not a drawing or rendering that misrepresents the item; no visible mannequin for clothing.
- Up to eight further images can follow the main image; these may show lifestyle scenes, text and graphics.

### Other platforms
| Platform | Key points |
|---|---|
| eBay | At least 500 px on the longest side, 1600 px recommended; up to 24 photos; white or neutral background recommended; no added borders or text |
| AliExpress | Square images, 800 × 800 px or larger recommended; clean light background for the first image; up to 6 main images |
| Shopee | Square 1:1 images, up to 9; the first image is the cover – clean background, product centred; local-language overlays are common on later images |
| TikTok Shop | Square main image on a clean background; a short product video strongly improves conversion |

### Self-check before upload
Open the image in an editor and use the colour picker on four corners: every value must read 255. Check that the product edges are sharp at 100% zoom and that the colour matches the real item under daylight – colour mismatch is one of the top reasons for "not as described" returns.""",
                        "body_zh": """在搜索结果页，买家除了标题和价格只能看到主图，所以主图对点击率的影响比任何元素都大。它也是最常因违规被驳回的图片。

### 亚马逊主图规则（摘要）
- **纯白背景**，RGB 值为 255, 255, 255。米白（如 245, 245, 245）可能导致商品被屏蔽。
- 产品占画面**至少 85%**。
- **最长边不少于 1000 像素**，才能启用放大功能（实际工作中建议 1600–2000 像素），上限 10,000 像素。首选 JPEG，也支持 TIFF、PNG 和非动态 GIF。
- 画面中只有所售商品：不得有文字、Logo、水印、徽章、边框、色块或不随货附送的道具。
- 必须是真实照片，不能用会误导买家的手绘或渲染图；服装不能出现可见的人台。
- 主图之后最多还可上传 8 张辅图，辅图可以展示场景、文字和图形。

### 其他平台
| 平台 | 要点 |
|---|---|
| eBay | 最长边至少 500 像素，建议 1600 像素；最多 24 张；建议白色或中性背景；不要加边框和文字 |
| 速卖通 | 方形图，建议 800 × 800 像素以上；首图背景干净、浅色；主图最多 6 张 |
| Shopee | 1:1 方图，最多 9 张；首图即封面，背景干净、产品居中；后面的图常加当地语言文案 |
| TikTok Shop | 方形主图、背景干净；配一段短视频能明显提升转化 |

### 上传前自检
在修图软件中用吸管工具检查四个角，数值都必须是 255。放大到 100% 检查产品边缘是否清晰，并在日光下核对颜色是否与实物一致。色差是"与描述不符"退货的主要原因之一。""",
                    },
                    {
                        "title_en": "Shooting setup and editing workflow",
                        "title_zh": "拍摄布置与修图流程",
                        "body_en": """You do not need an expensive studio to produce marketplace-ready images. A repeatable setup and a fixed editing workflow matter more than the camera.

### Basic kit (about RMB 2,000–5,000)
- A camera or recent smartphone that can shoot RAW, on a **tripod** (sharpness and identical framing across a product range).
- A **light tent / lightbox** (60–80 cm for small goods) or a white sweep of paper for larger items.
- **Two continuous LED lights** of 5500–5600 K (daylight) with softboxes, one on each side at 45°, plus a white reflector card in front to lift shadows.
- A grey card for white balance.

### Shooting steps
1. Clean the product and remove dust with a blower; wear cotton gloves for glossy items.
2. Set white balance with the grey card; shoot at ISO 100–200, aperture f/8–f/11 so the whole product is in focus, and adjust shutter speed for exposure.
3. Shoot the standard angle set: front, 45°, side, back, top, detail close-ups, and the product with its packaging and accessories.
4. Place a size reference (a hand, a coin, a phone) for at least one secondary image.

### Editing workflow
1. Import RAW, correct exposure and white balance in batch.
2. Cut out the product with a **clipping path** (pen tool) for clean edges; avoid rough automatic masks on hair, fur or transparent items.
3. Place on a pure white canvas (e.g. 2000 × 2000 px), scale the product to 85–90% of the frame, add a soft natural shadow if it helps realism.
4. Export as **sRGB JPEG**, quality 80–90, under 10 MB. Name files with SKU and position, e.g. `BAM-CB3-01-main.jpg`, `BAM-CB3-02-size.jpg`.
5. Keep the layered master files (PSD/TIFF) so that localised versions can be produced quickly.""",
                        "body_zh": """拍出符合平台要求的图片，并不需要昂贵的影棚。一套可复用的布置和固定的修图流程比相机本身更重要。

### 基础器材（约 2,000–5,000 元）
- 能拍 RAW 格式的相机或较新的手机，配**三脚架**（保证清晰，且同系列产品构图一致）。
- **柔光箱/摄影棚**（小件商品用 60–80 厘米），大件商品用白色背景纸铺成无缝背景。
- **两盏 5500–5600K（日光色温）的常亮 LED 灯**配柔光罩，左右各 45° 布光，正前方放一块白色反光板补阴影。
- 一张灰卡，用来校准白平衡。

### 拍摄步骤
1. 清洁产品，用气吹除尘；拍高光泽产品时戴棉手套。
2. 用灰卡设定白平衡；ISO 100–200，光圈 f/8–f/11 保证整件产品清晰，再用快门速度调整曝光。
3. 按标准角度拍齐：正面、45°、侧面、背面、顶部、细节特写，以及产品连同包装和配件的全家福。
4. 至少一张辅图中放入尺寸参照物（手、硬币、手机）。

### 修图流程
1. 导入 RAW 文件，批量校正曝光和白平衡。
2. 用**钢笔工具勾路径抠图**，保证边缘干净；毛发、绒毛或透明材质不要用粗糙的自动抠图。
3. 放到纯白画布上（如 2000 × 2000 像素），产品缩放到画面的 85–90%，需要时加一点自然阴影增强真实感。
4. 导出为 **sRGB 色彩空间的 JPEG**，品质 80–90，文件小于 10 MB。文件名包含 SKU 和位置，例如 `BAM-CB3-01-main.jpg`、`BAM-CB3-02-size.jpg`。
5. 保留分层源文件（PSD/TIFF），便于快速制作各语种版本。""",
                    },
                ],
            },
            {
                "title_en": "Visual merchandising",
                "title_zh": "视觉营销",
                "lessons": [
                    {
                        "title_en": "Secondary images and infographics",
                        "title_zh": "辅图与卖点信息图",
                        "body_en": """After the main image earns the click, the secondary images must answer the buyer's questions before they scroll away. Most shoppers look at the image gallery before they read a single bullet point, especially on mobile.

### A seven-image plan for a typical listing
| Position | Purpose | Content example (bamboo cutting board set) |
|---|---|---|
| 1 | Main image | Three boards on pure white |
| 2 | Key benefit infographic | Juice groove close-up with "Holds 100 ml – no mess" |
| 3 | Dimensions | Each board with cm and inch measurements |
| 4 | Lifestyle | Boards in use in a bright Western-style kitchen |
| 5 | Material / quality proof | Bamboo grain close-up, "FSC-certified bamboo" only if true |
| 6 | Comparison | Your board vs. a generic plastic board (no competitor brands) |
| 7 | What is in the box / care | Boards, holder, care card; "Hand wash, oil monthly" icons |

### Infographic design rules
- One message per image; no more than about 10–15 words of text, large enough to read on a phone (test at 375 px width).
- Use the brand's 2–3 colours and one font family; keep icon style consistent.
- Text must be in the marketplace language; for Europe, prepare separate DE, FR, IT, ES versions rather than one image in English.
- Never claim certifications, awards or test results you cannot document – platforms remove such listings and regulators treat it as misleading advertising.

### Video
A 15–30 second video (square or vertical) showing the product in use is now expected in many categories. Show the result in the first three seconds, add captions because most people watch without sound, and end with the pack contents.""",
                        "body_zh": """主图赢得点击后，辅图要在买家划走之前回答他们的疑问。多数买家先看图片，再决定是否读五点描述，手机端尤其如此。

### 常见商品的七图规划
| 位置 | 作用 | 示例（竹制砧板套装） |
|---|---|---|
| 1 | 主图 | 纯白背景上的三块砧板 |
| 2 | 核心卖点图 | 导流槽特写，配文"可容纳 100 毫升，不弄脏台面" |
| 3 | 尺寸图 | 每块砧板标注厘米和英寸尺寸 |
| 4 | 场景图 | 在明亮的欧美风格厨房中使用 |
| 5 | 材质/品质证明 | 竹纹特写，确有认证时才写"FSC 认证竹材" |
| 6 | 对比图 | 自家砧板对比普通塑料砧板（不出现竞品品牌） |
| 7 | 包装清单/保养 | 砧板、收纳架、保养卡；"手洗、每月上油"图标 |

### 信息图设计规范
- 一张图只讲一个卖点；文字控制在 10–15 个词左右，字号要保证手机上看得清（按 375 像素宽度预览）。
- 使用品牌的 2–3 种颜色和同一字体家族，图标风格统一。
- 文字用站点语言；欧洲站要分别制作德、法、意、西语版本，而不是一张英文图通用。
- 不能声称无法证明的认证、奖项或检测结果，平台会下架这类商品，监管部门也会按虚假宣传处理。

### 视频
在很多类目，一段 15–30 秒展示使用过程的视频（方形或竖屏）已成为标配。前三秒就展示效果；大多数人静音观看，要加字幕；结尾展示包装内容。""",
                    },
                    {
                        "title_en": "A+ content and storefront design",
                        "title_zh": "A+ 页面与店铺装修",
                        "body_en": """**A+ Content** (formerly Enhanced Brand Content) lets brand-registered Amazon sellers replace the plain-text description with designed modules. Amazon reports that good A+ content can raise sales by several percent; more importantly, it answers objections and reduces returns.

### Common modules and image sizes
| Module | Image size |
|---|---|
| Standard image header with text | 970 × 600 px |
| Standard single image and sidebar | 300 × 400 px (main) |
| Standard four-image and text | 220 × 220 px each |
| Standard comparison chart | 150 × 300 px per product |
| Premium A+ full-width image | 1464 × 600 px |

Text inside images is not indexed by search, so put important keywords in the module text fields as well, and add alt-text to every image (up to 100 characters) – it helps accessibility and may help indexing.

### A structure that works
1. **Brand banner** – who you are and the promise in one line.
2. **Problem → solution** – the user's pain point and how the product fixes it.
3. **Feature modules** – three or four features with a picture each.
4. **Comparison chart** – your own product range, linking shoppers to higher-priced variants (cross-selling).
5. **Trust** – warranty, care instructions, what is in the box.

### Storefronts
Amazon **Brand Stores**, Shopee **Shop Decoration** and the AliExpress store homepage work like a small website: a hero banner, navigation by category, best sellers, and seasonal campaign tiles. Design **mobile first** – on Shopee and TikTok Shop most traffic is from phones – and update the hero banner for each major sales event (11.11, Black Friday, Christmas). Track store visits, sales from the store and the share of visitors who come from your own social links.""",
                        "body_zh": """**A+ 页面**（原名"增强品牌内容"）允许完成品牌备案的亚马逊卖家用设计好的模块替代纯文字描述。亚马逊称优质的 A+ 页面能带来几个百分点的销售增长；更重要的是，它能提前解答买家顾虑、减少退货。

### 常用模块与图片尺寸
| 模块 | 图片尺寸 |
|---|---|
| 标准图片页眉（带文字） | 970 × 600 像素 |
| 标准单图加侧栏 | 主图 300 × 400 像素 |
| 标准四图加文字 | 每张 220 × 220 像素 |
| 标准对比表 | 每个商品 150 × 300 像素 |
| 高级 A+ 通栏大图 | 1464 × 600 像素 |

图片里的文字不会被搜索收录，所以重要关键词也要写进模块的文本框；每张图都要填写替代文本（最多 100 个字符），既方便视障用户，也可能有助于收录。

### 有效的页面结构
1. **品牌横幅**：一句话说清你是谁、承诺什么。
2. **痛点 → 解决方案**：用户遇到的问题以及产品如何解决。
3. **功能模块**：三到四个功能，每个配一张图。
4. **对比表**：对比自家产品线，引导买家选择更高价的型号（关联销售）。
5. **信任信息**：质保、保养说明、包装清单。

### 店铺首页
亚马逊**品牌旗舰店**、Shopee **店铺装修**和速卖通店铺首页就像一个小网站：首屏大图、按类目导航、热销商品和活动专区。要**优先按手机端设计**，因为 Shopee 和 TikTok Shop 的流量大多来自手机；每逢大促（11.11、黑五、圣诞）更换首屏海报。跟踪店铺访问量、店铺带来的销售额，以及来自自有社媒链接的访客比例。""",
                    },
                ],
            },
        ],
    },
    {
        "code": "cbec-logistics",
        "title_en": "Cross-border E-Commerce Logistics Management Practice",
        "title_zh": "跨境电商物流管理实务",
        "summary_en": (
            "The practical logistics chain from a Chinese factory to a foreign consumer's door. "
            "Learners compare shipping modes, calculate chargeable weight and landed cost, handle "
            "export customs under the 9610, 9710 and 9810 modes with the right Incoterms, and plan "
            "inventory in overseas warehouses and Amazon FBA."
        ),
        "summary_zh": (
            "从国内工厂到海外消费者家门口的完整物流链路实务。学员将比较各种物流方式，计算计费重量和到岸成本，"
            "按 9610、9710、9810 监管方式办理出口通关并选用合适的贸易术语，规划海外仓和亚马逊 FBA 库存。"
        ),
        "hours": 32,
        "track": "major",
        "prerequisites": [],
        "modules": [
            {
                "title_en": "Shipping modes and freight cost",
                "title_zh": "物流方式与运费核算",
                "lessons": [
                    {
                        "title_en": "Choosing a cross-border shipping mode",
                        "title_zh": "选择跨境物流方式",
                        "body_en": """There is no single best shipping mode. The right choice depends on parcel weight, product value, how fast the buyer expects delivery, and whether you ship order by order or in bulk.

| Mode | Typical transit (to US/EU) | Cost level | Best for |
|---|---|---|---|
| Postal small packet (China Post, ePacket-type services) | 10–25 days | Low for parcels under 2 kg | Light, low-value items, testing new markets |
| Commercial express (DHL, FedEx, UPS) | 3–7 days | High | Samples, urgent or high-value orders, B2B spare parts |
| Dedicated line (专线) | 7–15 days | Medium | Regular B2C volume to one country, often with duties prepaid (DDP) |
| Sea/air freight to an overseas warehouse, then local delivery | 25–45 days to stock (sea), then 2–5 days to buyer | Lowest per unit | Proven sellers, bulky items, fast local delivery promise |
| Marketplace fulfilment (Amazon FBA, Shopee/Lazada fulfilment) | As overseas warehouse | Medium–high fees, best conversion | Products with steady sales on that marketplace |

### Decision rules of thumb
- **Weight first.** Above about 2 kg, postal services become expensive or unavailable; dedicated lines or overseas warehouses win.
- **Test, then stock.** Ship the first 50–100 orders direct from China (small packet or dedicated line). When daily sales are stable, move stock into an overseas warehouse or FBA.
- **Delivery promise sells.** On Amazon, a Prime badge (FBA) often raises conversion sharply compared with a 2–3 week delivery estimate.
- **Special goods.** Batteries, liquids, powders, magnets and cosmetics need special channels (e.g. "battery lines") and documents such as an MSDS and UN38.3 test report; ordinary lines will reject them.

Whatever the mode, upload valid tracking numbers promptly: Amazon expects a valid tracking rate above 95%, and late or missing tracking damages account health.""",
                        "body_zh": """没有一种物流方式是万能的。选择哪种方式，取决于包裹重量、货值、买家期望的时效，以及是一单一单发还是批量备货。

| 方式 | 到美国/欧洲的常见时效 | 成本 | 适用场景 |
|---|---|---|---|
| 邮政小包（中国邮政、e 邮宝类服务） | 10–25 天 | 2 公斤以下包裹成本低 | 轻小、低货值商品，测试新市场 |
| 商业快递（DHL、FedEx、UPS） | 3–7 天 | 高 | 样品、急单或高货值订单、B2B 配件 |
| 专线 | 7–15 天 | 中等 | 发往单一国家的稳定 B2C 件量，常为包税（DDP） |
| 海运/空运到海外仓，再本地派送 | 海运入仓 25–45 天，之后 2–5 天送达买家 | 单件成本最低 | 成熟卖家、大件商品、需要本地快速配送 |
| 平台仓配（亚马逊 FBA、Shopee/Lazada 官方仓） | 同海外仓 | 费用中等偏高，转化最好 | 在该平台有稳定销量的商品 |

### 经验法则
- **先看重量**：超过约 2 公斤，邮政渠道变贵甚至不收，专线或海外仓更合适。
- **先测款，再备货**：前 50–100 单从国内直发（小包或专线），日销稳定后再把库存转入海外仓或 FBA。
- **时效就是卖点**：在亚马逊上，有 Prime 标志（FBA）的商品转化率往往明显高于显示 2–3 周送达的商品。
- **特殊货物**：带电池、液体、粉末、磁性商品和化妆品要走特殊渠道（如"带电专线"），并准备 MSDS、UN38.3 检测报告等文件，普通渠道会拒收。

无论哪种方式，都要及时上传有效的跟踪单号：亚马逊要求有效追踪率高于 95%，延迟上传或缺失单号都会影响账户健康。""",
                    },
                    {
                        "title_en": "Chargeable weight and landed cost",
                        "title_zh": "计费重量与到岸成本",
                        "body_en": """Carriers charge for space as well as weight. A large, light parcel is billed on its **volumetric (dimensional) weight**; the **chargeable weight** is whichever is higher, actual or volumetric.

### Formulas
| Service | Volumetric weight |
|---|---|
| International express (DHL, FedEx, UPS) and most dedicated lines | L × W × H (cm) ÷ 5000 |
| Air cargo (IATA standard) | L × W × H (cm) ÷ 6000 (1 m³ = 166.67 kg) |
| Sea freight LCL | Billed per "revenue ton": 1 m³ or 1,000 kg, whichever is greater (W/M) |
| Amazon FBA (US) | L × W × H (inches) ÷ 139 |

**Worked example.** A carton measures 60 × 40 × 40 cm and weighs 14 kg. Volumetric weight by express = 96,000 ÷ 5000 = **19.2 kg**. Chargeable weight is 19.2 kg (express carriers then round up to the next 0.5 kg, i.e. 19.5 kg). Repacking into a 55 × 38 × 35 cm carton gives 14.6 kg volumetric – a saving of almost 5 kg per carton. Packaging design is a logistics decision.

### Landed cost
Landed cost is everything it costs to get one unit ready for sale in the destination market:

`Landed cost = product cost + packaging + first-leg freight + insurance + import duty + import VAT (if not recoverable) + customs brokerage + warehouse receiving`

Example for 1,000 units of a desk lamp shipped by sea to a UK warehouse: product RMB 45 (≈ USD 6.25), freight USD 0.90 per unit, duty 2.7% of the customs value (CIF), clearance and receiving USD 0.35. If import VAT is reclaimed by a VAT-registered seller it is a cash-flow item, not a cost. Landed cost ≈ 6.25 + 0.90 + 0.19 + 0.35 = **USD 7.69** per unit. Use this figure – not the factory price – to set selling prices and evaluate advertising spend.""",
                        "body_zh": """承运商既按重量也按占用空间收费。体积大、重量轻的包裹按**体积重**计费，**计费重量**取实重和体积重中较大的一个。

### 计算公式
| 服务 | 体积重 |
|---|---|
| 国际快递（DHL、FedEx、UPS）和多数专线 | 长 × 宽 × 高（厘米）÷ 5000 |
| 航空货运（IATA 标准） | 长 × 宽 × 高（厘米）÷ 6000（1 立方米 = 166.67 公斤） |
| 海运拼箱 | 按"计费吨"：1 立方米或 1,000 公斤取大者（W/M） |
| 亚马逊 FBA（美国） | 长 × 宽 × 高（英寸）÷ 139 |

**例题**：一个纸箱尺寸为 60 × 40 × 40 厘米，实重 14 公斤。按快递标准，体积重 = 96,000 ÷ 5000 = **19.2 公斤**，计费重量为 19.2 公斤（快递公司再按 0.5 公斤进位，即 19.5 公斤）。如果改用 55 × 38 × 35 厘米的纸箱，体积重只有 14.6 公斤，每箱省下近 5 公斤。包装设计本身就是物流决策。

### 到岸成本
到岸成本是让一件商品在目的国进入可销售状态所需的全部成本：

`到岸成本 = 产品成本 + 包装 + 头程运费 + 保险 + 进口关税 + 进口增值税（不能抵扣时）+ 清关代理费 + 入仓费`

例如 1,000 件台灯海运到英国海外仓：产品 45 元（约合 6.25 美元），运费每件 0.90 美元，关税为完税价格（CIF）的 2.7%，清关和入仓每件 0.35 美元。已注册增值税的卖家可以抵扣进口增值税，它只占用现金流，不算成本。到岸成本 ≈ 6.25 + 0.90 + 0.19 + 0.35 = **7.69 美元/件**。定价和评估广告投入时，都要用这个数字，而不是出厂价。""",
                    },
                ],
            },
            {
                "title_en": "Customs and warehousing",
                "title_zh": "通关与仓储",
                "lessons": [
                    {
                        "title_en": "Export customs: 9610, 9710, 9810 and Incoterms",
                        "title_zh": "出口通关：9610、9710、9810 与国际贸易术语",
                        "body_en": """China Customs uses **supervision mode codes** to tell how goods leave the country. Choosing the right code decides which documents you need, how fast goods clear, and whether you can claim VAT export rebates and settle foreign exchange properly.

| Code | Name | Flow | Key points |
|---|---|---|---|
| 9610 | Cross-border e-commerce (B2C direct mail) | Individual parcels sent straight to overseas consumers | Clearance by list ("清单核放、汇总申报"); the e-commerce company, logistics company and payment data ("three documents") are sent to the customs system |
| 9710 | CBEC B2B direct export | Goods sold to an overseas business through a CBEC platform and shipped directly | Upload order or contract and platform transaction data |
| 9810 | CBEC export to overseas warehouse | Goods shipped in bulk to your own or a third-party overseas warehouse, then sold online | Overseas warehouse must be filed with customs; upload warehouse information |
| 1210 | Bonded cross-border e-commerce | Mostly used for imports via bonded zones | Goods stored in a bonded area before sale |
| 0110 | General trade | Traditional export declaration | Full declaration, used by many large B2B shipments |

For 9710 and 9810, shipments under RMB 5,000 that do not involve licences, inspection or tax can be declared through the simplified CBEC export system with six-digit HS codes; others go through the standard declaration system. Comprehensive pilot zones (Hangzhou was the first, in 2015) also allow "no invoice, tax exemption" treatment for qualifying retail exports.

### Incoterms 2020 in CBEC
Incoterms define where risk and costs pass from seller to buyer. They matter most for B2B and for your first-leg shipments to warehouses:
- **EXW / FCA** – buyer arranges almost everything; FCA is preferred because the seller clears export.
- **FOB / CIF** – sea and inland-waterway only; risk passes when goods are on board the vessel. CIF requires only minimum insurance (Institute Cargo Clauses C).
- **DAP** – seller delivers to the named place, buyer pays import duty and clears customs.
- **DDP** – seller pays everything including import duty and VAT. Many "double clearance, tax included" (双清包税) FBA forwarders effectively offer DDP; make sure someone legitimate acts as importer of record, because Amazon will not.

Remember that destination rules change: the EU removed its €22 VAT exemption in July 2021 (IOSS covers parcels up to €150), the UK collects VAT at the point of sale on consignments up to £135, and the US ended its USD 800 de minimis exemption for goods from China in 2025.""",
                        "body_zh": """中国海关用**监管方式代码**区分货物以什么方式出境。选对代码，决定了要准备哪些单证、通关速度快慢，以及能否正常办理出口退税和收汇结汇。

| 代码 | 名称 | 流程 | 要点 |
|---|---|---|---|
| 9610 | 跨境贸易电子商务（B2C 直邮） | 单个包裹直接寄给海外消费者 | "清单核放、汇总申报"；电商企业、物流企业、支付企业数据（"三单"）推送至海关系统 |
| 9710 | 跨境电商 B2B 直接出口 | 通过跨境电商平台与境外企业成交，货物直接出口 | 上传订单或合同及平台交易信息 |
| 9810 | 跨境电商出口海外仓 | 货物批量运至自营或第三方海外仓，再通过网上销售 | 海外仓须向海关备案，上传海外仓信息 |
| 1210 | 保税跨境贸易电子商务 | 主要用于经保税区进口 | 货物销售前存放在保税区域 |
| 0110 | 一般贸易 | 传统出口报关 | 完整申报，许多大宗 B2B 货物采用 |

9710、9810 模式下，单票金额在人民币 5,000 元以内且不涉证、不涉检、不涉税的，可通过跨境电商出口统一版系统按 6 位 HS 编码简化申报；其他情况走标准报关系统。跨境电商综合试验区（杭州于 2015 年率先设立）内符合条件的零售出口，还可适用"无票免税"政策。

### 跨境电商中的 Incoterms 2020
国际贸易术语规定了风险和费用在何处由卖方转给买方，在 B2B 业务和头程发往海外仓时最为重要：
- **EXW / FCA**：几乎全部由买方安排；更推荐 FCA，因为出口清关由卖方负责。
- **FOB / CIF**：只适用于海运和内河运输；货物装上船时风险转移。CIF 只要求最低险别（协会货物条款 C）。
- **DAP**：卖方送到指定地点，进口关税和清关由买方负责。
- **DDP**：卖方承担包括进口关税和增值税在内的全部费用。很多"双清包税"的 FBA 货代实际上就是 DDP；务必确认有合法主体担任进口商（IOR），因为亚马逊不会承担这个角色。

目的国规则也在变化：欧盟于 2021 年 7 月取消了 22 欧元增值税免税额（150 欧元以下包裹可用 IOSS 申报），英国对 135 英镑以下的货物在销售环节征收增值税，美国则在 2025 年取消了对中国商品的 800 美元小额免税。""",
                    },
                    {
                        "title_en": "Overseas warehouses and FBA inventory planning",
                        "title_zh": "海外仓与 FBA 库存规划",
                        "body_en": """Stock in an overseas warehouse sells faster, but every unit there has already cost you freight and duty and keeps costing storage. Good inventory planning is about having **enough, but not too much**.

### Third-party overseas warehouse vs. FBA
| | Third-party overseas warehouse | Amazon FBA |
|---|---|---|
| Sales channels | Any: Amazon FBM, eBay, Walmart, TikTok Shop, own site | Amazon (Multi-Channel Fulfilment possible at extra cost) |
| Conversion benefit | Fast local delivery | Prime badge, Buy Box advantage |
| Costs | Receiving, storage, pick & pack, last-mile postage | Fulfilment fee per unit, monthly storage (higher Oct–Dec), aged inventory surcharges, inbound placement fees |
| Flexibility | Relabelling, kitting, returns refurbishment | Strict labelling (FNSKU), carton and pallet rules, capacity limits |

Many sellers combine both: bulk stock in a cheaper third-party warehouse and regular transfers into FBA to keep 4–8 weeks of cover there.

### The reorder point
`Reorder point = average daily sales × lead time (days) + safety stock`

Lead time covers the **whole** chain: production 15 days + domestic trucking and export clearance 5 days + sea freight 30 days + import clearance and delivery to FBA 7 days + FBA receiving 7 days = **64 days**. With 40 units sold per day and 14 days of safety stock (560 units), the reorder point is 40 × 64 + 560 = **3,120 units**. When available plus inbound stock falls to this level, place the next purchase order.

### Keeping inventory healthy
- Watch the **sell-through rate** and days of supply every week; Amazon also scores this in its inventory performance metrics and may limit storage capacity.
- Remove or liquidate stock before it reaches the aged-inventory surcharge thresholds (from about 181 days).
- Plan Q4 early: FBA inbound cut-off dates for Black Friday are typically in early to mid-November, and carriers add peak surcharges.
- Inspect returns: resellable units go back to stock; damaged units should be disposed of or refurbished locally – shipping them back to China rarely pays.""",
                        "body_zh": """海外仓里的货卖得更快，但每一件都已经付过运费和关税，还在持续产生仓储费。库存规划的核心就是**够卖，但不过量**。

### 第三方海外仓与 FBA 对比
| | 第三方海外仓 | 亚马逊 FBA |
|---|---|---|
| 销售渠道 | 不限：亚马逊自发货、eBay、沃尔玛、TikTok Shop、独立站 | 亚马逊（可付费使用多渠道配送） |
| 转化优势 | 本地快速配送 | Prime 标志，更容易获得购物车 |
| 费用 | 入仓、仓储、拣货打包、尾程运费 | 单件配送费、月度仓储费（10–12 月更高）、超龄库存附加费、入库配置费 |
| 灵活性 | 可换标、组套、退货翻新 | 标签（FNSKU）、箱规和托盘规则严格，有库容限制 |

很多卖家两者结合：大批库存放在成本较低的第三方海外仓，定期调拨到 FBA，使 FBA 保持 4–8 周的可售量。

### 补货点
`补货点 = 日均销量 × 补货周期（天）+ 安全库存`

补货周期要覆盖**整条链路**：生产 15 天 + 国内运输和出口报关 5 天 + 海运 30 天 + 进口清关并送到 FBA 7 天 + FBA 上架 7 天 = **64 天**。日均销量 40 件，安全库存按 14 天计（560 件），补货点 = 40 × 64 + 560 = **3,120 件**。当可售库存加在途库存降到这个数量时，就要下新的采购单。

### 保持库存健康
- 每周关注**售罄率**和库存可售天数；亚马逊的库存绩效指标也会考核这一点，并可能限制库容。
- 在达到超龄库存附加费门槛（约 181 天起）之前，移除或清货处理。
- 提前规划第四季度：黑五的 FBA 入库截止日一般在 11 月上中旬，承运商还会加收旺季附加费。
- 检查退货：可二次销售的放回库存；损坏的在当地销毁或翻新，运回国内通常得不偿失。""",
                    },
                ],
            },
        ],
    },
    {
        "code": "platform-operation",
        "title_en": "Cross-border E-commerce Platform Operation",
        "title_zh": "跨境电商平台运营",
        "summary_en": (
            "Day-to-day operation of a cross-border store on Amazon, eBay, AliExpress, Shopee and "
            "TikTok Shop. You will compare platform models and fees, keep account health in the green, "
            "run Sponsored Products campaigns against an ACoS target and read business reports to "
            "decide what to fix next."
        ),
        "summary_zh": (
            "在亚马逊、eBay、速卖通、Shopee 和 TikTok Shop 上运营跨境店铺的日常实务。学员将比较平台模式和费用，"
            "维护账户健康，按目标 ACoS 运行商品推广广告，并通过业务报告判断下一步该优化什么。"
        ),
        "hours": 40,
        "track": "major",
        "prerequisites": [],
        "modules": [
            {
                "title_en": "Opening and running a store",
                "title_zh": "开店与日常运营",
                "lessons": [
                    {
                        "title_en": "Comparing the major cross-border platforms",
                        "title_zh": "主流跨境平台对比",
                        "body_en": """Each platform has a different business model, and the model decides what kind of seller succeeds there.

| Platform | Model | Main markets | What wins | Typical costs |
|---|---|---|---|---|
| Amazon | Product-centred marketplace; many sellers share one product page (ASIN) | US, EU, UK, Japan, Middle East | Brand registry, FBA, reviews, search ranking | Professional plan USD 39.99/month (US); referral fee mostly 8–15%; FBA fees |
| eBay | Listing-centred marketplace, auctions and fixed price | US, UK, Germany, Australia | Competitive price, fast shipping, good feedback; strong in parts, collectibles, refurbished goods | Final value fee around 13–15% in most categories |
| AliExpress | Alibaba's cross-border retail platform | Europe, Korea, Brazil, Middle East | Price, free shipping, "Choice" programme with platform-managed logistics | Category commission, typically 5–8% |
| Shopee | Mobile-first marketplace with heavy promotions | Southeast Asia, Taiwan, Brazil | Low price, vouchers, campaign participation, live streams | Commission plus transaction and service fees, varying by site |
| TikTok Shop | Content commerce: sales come from videos, lives and creators | US, UK, Southeast Asia | Creator affiliates, short video, live selling | Referral fee of a few percent plus affiliate commissions |

### Choosing where to start
- Strong product development and capital for stock → **Amazon** with FBA.
- Low-priced, light, trendy goods and a tight budget → **Shopee** or **AliExpress**, ship from China first.
- Visual, demonstrable products and the ability to make video → **TikTok Shop**.
- Niche parts or used/refurbished items → **eBay**.

Most established Zhejiang sellers run two or three platforms, but start with one and master it before expanding – account rules, advertising tools and customer expectations all differ.""",
                        "body_zh": """每个平台的商业模式不同，而模式决定了什么样的卖家能在那里成功。

| 平台 | 模式 | 主要市场 | 制胜关键 | 主要费用 |
|---|---|---|---|---|
| 亚马逊 | 以商品为中心，多个卖家共享一个商品页面（ASIN） | 美国、欧洲、英国、日本、中东 | 品牌备案、FBA、评论、搜索排名 | 专业卖家计划每月 39.99 美元（美国站）；销售佣金多为 8–15%；FBA 费用 |
| eBay | 以刊登为中心，拍卖和一口价并存 | 美国、英国、德国、澳大利亚 | 价格有竞争力、发货快、好评率高；汽配、收藏品、翻新品有优势 | 多数类目成交费约 13–15% |
| 速卖通 | 阿里巴巴旗下跨境零售平台 | 欧洲、韩国、巴西、中东 | 价格、包邮、平台托管物流的 Choice 频道 | 类目佣金，一般 5–8% |
| Shopee | 移动端优先、促销密集的综合平台 | 东南亚、中国台湾、巴西 | 低价、优惠券、参加平台活动、直播 | 佣金加交易手续费和服务费，各站点不同 |
| TikTok Shop | 内容电商：订单来自短视频、直播和达人 | 美国、英国、东南亚 | 达人联盟、短视频、直播带货 | 较低比例的平台佣金加达人佣金 |

### 从哪个平台起步
- 产品开发能力强、有备货资金 → **亚马逊**加 FBA。
- 低价、轻小、潮流商品，预算有限 → **Shopee** 或**速卖通**，先从国内直发。
- 产品适合视觉展示，团队能拍视频 → **TikTok Shop**。
- 细分配件或二手、翻新商品 → **eBay**。

多数成熟的浙江卖家同时经营两三个平台，但建议先选一个做精再扩张，因为各平台的账户规则、广告工具和买家期望都不一样。""",
                    },
                    {
                        "title_en": "Account health and daily operations",
                        "title_zh": "账户健康与日常运营",
                        "body_en": """A store can be suspended far faster than it can be built. Marketplaces measure sellers against published targets, and the daily routine of an operator is built around keeping those numbers healthy.

### Amazon seller performance targets
| Metric | Target | What it measures |
|---|---|---|
| Order Defect Rate (ODR) | < 1% | Orders with negative feedback, A-to-z Guarantee claims or chargebacks (60-day window) |
| Pre-fulfilment cancel rate | < 2.5% | Orders the seller cancels before shipping (7 days) |
| Late shipment rate | < 4% | Orders confirmed as shipped after the expected ship date (10 and 30 days) |
| Valid tracking rate | > 95% | Self-fulfilled shipments with valid tracking (30 days) |
| Buyer messages | Reply within 24 hours | Including weekends and holidays |

Policy violations (intellectual property complaints, product safety, restricted products, fake reviews) are tracked separately in the Account Health Rating and can lead to suspension even when the metrics are green.

### A daily checklist (about 60–90 minutes)
1. **Account health dashboard** – any new policy warnings, IP complaints or listing suppressions? Respond the same day.
2. **Orders** – self-fulfilled orders confirmed and tracking uploaded; no order close to its ship-by date.
3. **Messages** – reply to all buyer messages within 24 hours; use templates but personalise the first line.
4. **Reviews and feedback** – read new 1–3 star reviews, look for product or listing problems; never offer incentives for reviews – use only the *Request a Review* button or the Vine programme.
5. **Inventory** – FBA stock below the reorder point? Stranded inventory?
6. **Advertising** – spend, ACoS and top search terms versus yesterday; pause runaway keywords.
7. **Competitors** – price and Buy Box changes on your top 5 ASINs.

### When something goes wrong
If an account or listing is deactivated, write a **Plan of Action**: the root cause, the immediate fix already taken, and the long-term preventive measures, each specific and verifiable. Vague apologies are rejected.""",
                        "body_zh": """店铺被封的速度远远快于建起来的速度。平台会按公开的指标考核卖家，运营人员的日常工作就是围绕让这些指标保持健康展开的。

### 亚马逊卖家绩效指标
| 指标 | 目标 | 含义 |
|---|---|---|
| 订单缺陷率（ODR） | < 1% | 收到差评、亚马逊商城交易保障索赔或信用卡拒付的订单（60 天） |
| 配送前取消率 | < 2.5% | 卖家在发货前取消的订单（7 天） |
| 迟发率 | < 4% | 在预计发货日期之后才确认发货的订单（10 天和 30 天） |
| 有效追踪率 | > 95% | 自配送订单中有有效跟踪号的比例（30 天） |
| 买家消息 | 24 小时内回复 | 包括周末和节假日 |

违反政策的情况（知识产权投诉、产品安全、受限商品、虚假评论）在账户健康评级中单独记录，即使上述指标都达标也可能导致封号。

### 每日运营清单（约 60–90 分钟）
1. **账户健康面板**：有无新的政策警告、侵权投诉或商品被屏蔽？当天处理。
2. **订单**：自配送订单已确认发货并上传单号，没有临近最晚发货日期的订单。
3. **消息**：24 小时内回复所有买家消息，可以用模板，但第一句要个性化。
4. **评论与反馈**：查看新的 1–3 星评论，找出产品或页面问题；绝不能用好处换评论，只使用"请求评论"按钮或 Vine 计划。
5. **库存**：FBA 库存是否低于补货点？有无滞留库存？
6. **广告**：对比昨天的花费、ACoS 和主要搜索词，暂停失控的关键词。
7. **竞品**：关注前 5 个 ASIN 的价格和购物车变化。

### 出了问题怎么办
账户或商品被停用时，要写**申诉行动计划（POA）**：问题的根本原因、已经采取的纠正措施、长期预防措施，每一条都要具体、可核实。空泛的道歉会被驳回。""",
                    },
                ],
            },
            {
                "title_en": "Growth with advertising and data",
                "title_zh": "用广告和数据驱动增长",
                "lessons": [
                    {
                        "title_en": "Sponsored Products campaigns and ACoS",
                        "title_zh": "商品推广广告与 ACoS",
                        "body_en": """Sponsored Products are pay-per-click ads that place your listing in search results and on competitors' product pages. They are the main tool for launching new products and defending rankings on Amazon; Shopee, AliExpress and TikTok Shop offer similar search and product ads.

### Campaign structure
- **Automatic campaign** – Amazon chooses the queries based on your listing. Targeting groups: close match, loose match, substitutes, complements. Use it to *discover* search terms.
- **Manual keyword campaign** – you choose keywords and **match types**: *broad* (any order, related terms), *phrase* (the phrase in order, with words before/after), *exact* (the term or very close variants).
- **Manual product targeting** – target specific ASINs or categories, for example competitors with lower ratings or higher prices.
- **Negative keywords** – stop spending on irrelevant or non-converting terms.

A common pattern: run auto → harvest converting search terms into exact-match campaigns each week → add them as negative exact in the auto campaign so campaigns do not compete.

### Key metrics
| Metric | Formula |
|---|---|
| CTR | clicks ÷ impressions |
| CPC | spend ÷ clicks |
| Ad conversion rate | orders ÷ clicks |
| **ACoS** | ad spend ÷ ad sales |
| ROAS | ad sales ÷ ad spend (= 1 ÷ ACoS) |
| TACoS | ad spend ÷ total sales (ads + organic) |

**Break-even ACoS** equals your profit margin *before* advertising. If a product sells for USD 25 and all costs except ads are USD 17.50, the pre-ad margin is 30%: an ACoS below 30% is profitable, above it loses money on ad-driven sales. A launch may accept 40–50% ACoS for a few weeks to build ranking, but set an end date. Watch TACoS: if it falls while total sales rise, advertising is lifting organic sales – the real goal.

### Bidding
Choose *dynamic bids – down only* for cautious campaigns, *up and down* for proven exact keywords, and adjust placement multipliers (top of search often converts best). Change bids in steps of 10–20% and wait at least a week of data before judging.""",
                        "body_zh": """商品推广（Sponsored Products）是按点击付费的广告，把你的商品展示在搜索结果和竞品详情页上。它是亚马逊新品推广和守住排名的主要工具；Shopee、速卖通和 TikTok Shop 也有类似的搜索广告和商品广告。

### 广告结构
- **自动广告**：亚马逊根据页面内容匹配搜索词，分为紧密匹配、宽泛匹配、同类商品、关联商品四组。主要用于**挖掘**搜索词。
- **手动关键词广告**：自己选择关键词和**匹配方式**：*广泛匹配*（词序不限，可含相关词）、*词组匹配*（按顺序包含该词组，前后可加词）、*精准匹配*（与该词或其极相近的变体一致）。
- **手动商品投放**：定向投放指定 ASIN 或类目，例如评分比你低或价格比你高的竞品。
- **否定关键词**：停止在不相关或不转化的词上花钱。

常见做法：先跑自动广告 → 每周把出单的搜索词移入精准匹配广告 → 同时在自动广告中把这些词设为精准否定，避免广告活动互相抢量。

### 核心指标
| 指标 | 公式 |
|---|---|
| 点击率 CTR | 点击 ÷ 曝光 |
| 单次点击成本 CPC | 花费 ÷ 点击 |
| 广告转化率 | 订单 ÷ 点击 |
| **ACoS** | 广告花费 ÷ 广告销售额 |
| ROAS | 广告销售额 ÷ 广告花费（= 1 ÷ ACoS） |
| TACoS | 广告花费 ÷ 总销售额（广告 + 自然） |

**盈亏平衡 ACoS** 等于扣除广告前的利润率。售价 25 美元、除广告外的全部成本为 17.50 美元，则广告前利润率为 30%：ACoS 低于 30% 的广告订单赚钱，高于 30% 就亏钱。新品期为了冲排名可以在几周内接受 40–50% 的 ACoS，但要设定结束时间。还要看 TACoS：总销售额上升而 TACoS 下降，说明广告带动了自然销量，这才是真正的目标。

### 竞价
谨慎的广告活动用"动态竞价—只降低"，已验证的精准词用"动态竞价—提高和降低"，并调整广告位加价（搜索结果顶部通常转化最好）。每次调价幅度 10–20%，至少看一周数据再判断效果。""",
                    },
                    {
                        "title_en": "Reading the business report and diagnosing the funnel",
                        "title_zh": "解读业务报告，诊断销售漏斗",
                        "body_en": """Sales = traffic × conversion × price. When sales fall, the business report tells you which of the three moved, and therefore what to fix.

### Key fields in Amazon's *Detail Page Sales and Traffic by Child Item* report
| Field | Meaning |
|---|---|
| Sessions | Visits to the product page within a 24-hour period (one shopper = one session) |
| Page views | Total page views, including repeat views |
| Featured Offer (Buy Box) percentage | Share of page views where your offer was the featured offer |
| Units ordered | Units sold |
| Unit session percentage | Units ordered ÷ sessions – Amazon's conversion rate |

### Diagnosing a drop
Compare this week with the last four weeks:
1. **Sessions down, conversion stable** – a traffic problem. Check organic rank for your top 10 keywords, ad budgets that ran out early, a suppressed listing, or lost Buy Box.
2. **Sessions stable, conversion down** – a page or offer problem. Look for a new negative review on the first screen, a competitor's price cut or coupon, stock-out of popular variants, or a longer delivery promise.
3. **Both down** – often availability (out of stock, FBA inbound delays) or a seasonal shift; compare with last year.

### Weekly profit check
Revenue alone can hide losses. For each ASIN calculate:

`Net profit = sales − referral fees − FBA fees − landed cost of units sold − advertising − storage − refunds`

Example: 300 units × USD 25 = USD 7,500 sales; referral 15% = 1,125; FBA fees 300 × 5.20 = 1,560; landed cost 300 × 7.69 = 2,307; ads 900; storage 120; refunds 150. Net profit = **USD 1,338**, a **17.8%** net margin. Put these numbers in a weekly sheet with one row per ASIN; the trend matters more than any single week.""",
                        "body_zh": """销售额 = 流量 × 转化率 × 客单价。销售下滑时，业务报告能告诉你是三者中的哪一个变了，也就知道该修什么。

### 亚马逊《按子商品详情页面上的销售量与访问量》报告的关键字段
| 字段 | 含义 |
|---|---|
| 会话数（Sessions） | 24 小时内对商品页面的访问次数（一个买家计一次） |
| 页面浏览量 | 页面被浏览的总次数，含重复浏览 |
| 推荐报价（购物车）百分比 | 你的报价作为推荐报价展示的页面浏览占比 |
| 已订购商品数量 | 售出件数 |
| 单位会话百分比 | 已订购商品数量 ÷ 会话数，即亚马逊的转化率 |

### 诊断下滑
用本周数据对比过去四周：
1. **会话下降、转化稳定**：流量问题。检查前 10 个核心词的自然排名、广告预算是否提前花完、页面是否被屏蔽、是否丢了购物车。
2. **会话稳定、转化下降**：页面或报价问题。看首屏是否出现新的差评、竞品是否降价或发券、热门变体是否断货、配送时效是否变长。
3. **两者都下降**：常见原因是断货（缺货、FBA 入库延误）或季节变化，与去年同期对比。

### 每周利润核算
只看销售额可能掩盖亏损。对每个 ASIN 计算：

`净利润 = 销售额 − 销售佣金 − FBA 费用 − 已售商品的到岸成本 − 广告费 − 仓储费 − 退款`

例：300 件 × 25 美元 = 7,500 美元；佣金 15% = 1,125；FBA 费 300 × 5.20 = 1,560；到岸成本 300 × 7.69 = 2,307；广告 900；仓储 120；退款 150。净利润 = **1,338 美元**，净利率 **17.8%**。每周按 ASIN 一行记录在表格中，趋势比某一周的数字更重要。""",
                    },
                ],
            },
        ],
    },
]
