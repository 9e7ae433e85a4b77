/** Realistic Korean names, addresses and product names for simulated payloads (all fictional). */

export const familyNames = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황'] as const;
export const givenNames = ['민준', '서연', '도윤', '지우', '하준', '서윤', '지호', '하은', '예준', '지민', '수빈', '현우', '유진', '채원', '건우', '다은'] as const;

export const addresses = [
  { zipcode: '06236', address1: '서울특별시 강남구 테헤란로 152', district: '강남파이낸스센터' },
  { zipcode: '04524', address1: '서울특별시 중구 세종대로 110', district: '서울시청' },
  { zipcode: '13494', address1: '경기도 성남시 분당구 판교역로 235', district: '에이치스퀘어' },
  { zipcode: '48058', address1: '부산광역시 해운대구 센텀중앙로 79', district: '센텀사이언스파크' },
  { zipcode: '34126', address1: '대전광역시 유성구 대학로 291', district: '카이스트' },
  { zipcode: '61452', address1: '광주광역시 동구 금남로 245', district: '' },
  { zipcode: '41585', address1: '대구광역시 북구 대학로 80', district: '' },
  { zipcode: '63122', address1: '제주특별자치도 제주시 첨단로 242', district: '' },
  { zipcode: '21984', address1: '인천광역시 연수구 컨벤시아대로 165', district: '포스코타워' },
  { zipcode: '16499', address1: '경기도 수원시 영통구 월드컵로 206', district: '' },
] as const;

export const shippingMessages = ['부재 시 문 앞에 놓아주세요.', '배송 전 연락 바랍니다.', '경비실에 맡겨주세요.', '택배함에 넣어주세요.', null] as const;

export const productTemplates = [
  { name: '오버핏 코튼 티셔츠', price: 29000, options: [['색상', ['블랙', '화이트', '네이비']], ['사이즈', ['S', 'M', 'L', 'XL']]] },
  { name: '데일리 와이드 슬랙스', price: 45000, options: [['색상', ['베이지', '차콜']], ['사이즈', ['S', 'M', 'L']]] },
  { name: '제주 유기농 녹차 티백 50입', price: 15900, options: [] },
  { name: '핸드메이드 머그컵', price: 18000, options: [['색상', ['아이보리', '민트', '핑크']]] },
  { name: '프리미엄 한우 선물세트', price: 129000, options: [] },
  { name: '무선 블루투스 이어폰', price: 59000, options: [['색상', ['화이트', '블랙']]] },
  { name: '천연 라벤더 디퓨저', price: 24000, options: [['용량', ['100ml', '200ml']]] },
  { name: '국산 참기름 350ml', price: 21000, options: [] },
  { name: '캠핑 접이식 의자', price: 39000, options: [['색상', ['카키', '그레이']]] },
  { name: '어린이 그림책 전집', price: 89000, options: [] },
  { name: '수제 딸기잼 2종', price: 16000, options: [['맛', ['딸기', '블루베리']], ['포장', ['기본', '선물포장']]] },
  { name: '스테인리스 텀블러 500ml', price: 27000, options: [['색상', ['실버', '블랙', '로즈골드']]] },
] as const;
