"""Vietnamese function syllables that carry no topic (Loa's own list, lower case, NFC).

Used where topics are read off the text (surge keyphrases, BM25): a bigram with one of these on
either side is not a keyphrase. Kept short on purpose: content syllables that are also frequent
("người", "dân", "nhà") stay.
"""

STOPWORDS = frozenset(
    """
    và của các những là có được cho với trong này đã sẽ đang một không theo tại từ khi đến về ra
    vào để như thì mà nhưng cũng nên vì do bị lại rất nhiều hơn sau trước đó ông bà anh chị em họ
    chúng tôi ta mình gì nào ai còn vẫn đều chỉ hay hoặc qua trên dưới giữa cùng phải thể việc nhất
    lên xuống hết cả tới bởi nếu thế vậy đây kia ấy hôm nay sáng chiều tối lúc giờ mới vừa sắp luôn
    rồi chưa đi thêm điều cách gần khoảng hàng tiếp vừa bên nơi ngoài sự cuộc các loại mỗi cái
    chiếc nhiều ít năm ngày tháng tuần quý lần thứ đầu cuối nữa vậy thôi ạ nhé à ư ơi hả
    url email num emo emo_pos emo_neg
    """.split()
)


def is_stopword(token: str) -> bool:
    return token in STOPWORDS
