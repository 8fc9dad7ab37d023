"""Sentences of the two sample articles (../shared/data/samples) and made-up variants
of them, shared by the stance tests."""

DEATHS = "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting"
BORDER = "Azerbaijan has taken full control of its border with Iran"

BELOW_THOUSAND = ("Fighting broke out between the Armenian separatists who control the Karabakh province "
                  "in Azerbaijan and the military late last month and the most recent officially confirmed "
                  "death toll remains below one thousand.")
PUTIN = ("Russian President Vladimir Putin said on Thursday that almost 5,000 people had died in more than "
         "three weeks of fighting between Armenian forces and Azerbaijan's army over the disputed "
         "Nagorno-Karabakh region.")
PUTIN_QUOTE = ("\u201cAccording to our data, the number of deaths on both sides is almost 2,000, that is, the "
               "total number of deaths is already nearing 5,000,\u201d Putin said in a televised appearance.")
FOURTH_WEEK = "Fighting between Armenia and Azerbaijan entered its fourth week on Thursday."
GAINS = ("Azerbaijan has repeatedly boasted of military gains in the more than three weeks of fighting and on "
         "Wednesday Armenian Prime Minister Nikol Pashinyan acknowledged his country was facing \"a difficult "
         "situation\" on the frontline.")
BORDER_SAID = [
    "Aliyev said earlier Thursday that Azerbaijani forces had taken full control of its border with "
    "neighbouring Iran.",
    "Azerbaijan on Thursday said it had taken full control of its border with neighbouring Iran as Baku "
    "pressed its military operation in its conflict with Armenia over Nagorno-Karabakh.",
    "But President Ilham Aliyev said that with the capture of a settlement named Agbend, Baku now had full "
    "control of the border with Iran.",
]
TEASERS = [
    "AI-powered customer service can significantly enhance business processes",
    "She was the first woman composer of All India Radio from South India",
    "Pakistan have never won a Test series in the 12 times they have toured down under",
]
