import { fixed, type JsonValue } from "./json-text.js";
import { hashString, type Rng } from "./prng.js";

/** Where generated tweets are placed. Written for this project; the weights only aim at plausible skew. */

/**
 * Places: [country_code, country, full_name, place_type, weight, lon, lat, half-size in degrees].
 * US places are mostly "City, ST", with some admin/country-level names that have no state code.
 */
export const PLACES: readonly (readonly [
  string,
  string,
  string,
  string,
  number,
  number,
  number,
  number,
])[] = [
  ["US", "United States", "Los Angeles, CA", "city", 9, -118.24, 34.05, 0.3],
  ["US", "United States", "Manhattan, NY", "city", 8, -73.97, 40.78, 0.08],
  ["US", "United States", "Brooklyn, NY", "city", 4, -73.95, 40.65, 0.1],
  ["US", "United States", "Chicago, IL", "city", 6, -87.68, 41.84, 0.2],
  ["US", "United States", "Houston, TX", "city", 5, -95.37, 29.76, 0.3],
  ["US", "United States", "Miami, FL", "city", 4, -80.21, 25.78, 0.1],
  ["US", "United States", "Atlanta, GA", "city", 4, -84.39, 33.75, 0.15],
  ["US", "United States", "Washington, DC", "city", 4, -77.02, 38.9, 0.1],
  ["US", "United States", "Seattle, WA", "city", 3, -122.33, 47.61, 0.12],
  ["US", "United States", "Phoenix, AZ", "city", 3, -112.07, 33.45, 0.3],
  ["US", "United States", "Philadelphia, PA", "city", 3, -75.16, 39.95, 0.12],
  ["US", "United States", "San Francisco, CA", "city", 3, -122.42, 37.77, 0.08],
  ["US", "United States", "Las Vegas, NV", "city", 2, -115.14, 36.17, 0.15],
  ["US", "United States", "Claremont, CA", "city", 1, -117.72, 34.1, 0.03],
  ["US", "United States", "Honolulu, HI", "city", 1, -157.86, 21.31, 0.1],
  ["US", "United States", "Texas, USA", "admin", 3, -99.9, 31.97, 5],
  ["US", "United States", "California, USA", "admin", 2, -119.42, 36.78, 5],
  ["US", "United States", "Florida, USA", "admin", 2, -81.52, 27.66, 3],
  ["US", "United States", "United States", "country", 1, -98.58, 39.83, 25],
  ["US", "United States", "Yellowstone National Park", "poi", 0.3, -110.59, 44.43, 0.01],
  ["PR", "Puerto Rico", "San Juan, Puerto Rico", "city", 1, -66.1, 18.47, 0.08],
  ["GB", "United Kingdom", "London, England", "city", 6, -0.12, 51.5, 0.3],
  ["GB", "United Kingdom", "Manchester, England", "city", 2, -2.24, 53.48, 0.1],
  ["GB", "United Kingdom", "Glasgow, Scotland", "city", 1, -4.25, 55.86, 0.1],
  ["CA", "Canada", "Toronto, Ontario", "city", 3, -79.38, 43.65, 0.2],
  ["CA", "Canada", "Montréal, Québec", "city", 2, -73.57, 45.5, 0.2],
  ["CA", "Canada", "Vancouver, British Columbia", "city", 1, -123.12, 49.28, 0.1],
  ["MX", "México", "Ciudad de México, México", "city", 4, -99.13, 19.43, 0.3],
  ["MX", "México", "Guadalajara, Jalisco", "city", 1, -103.35, 20.67, 0.15],
  ["BR", "Brasil", "São Paulo, Brasil", "city", 5, -46.63, -23.55, 0.3],
  ["BR", "Brasil", "Rio de Janeiro, Brasil", "city", 3, -43.2, -22.91, 0.3],
  ["AR", "Argentina", "Buenos Aires, Argentina", "city", 2, -58.38, -34.6, 0.2],
  ["CO", "Colombia", "Bogotá, D.C., Colombia", "city", 1, -74.07, 4.71, 0.2],
  ["CL", "Chile", "Santiago, Chile", "city", 1, -70.65, -33.45, 0.2],
  ["EC", "Ecuador", "Quito, Ecuador", "city", 0.5, -78.47, -0.18, 0.1],
  ["ES", "España", "Madrid, Comunidad de Madrid", "city", 3, -3.7, 40.42, 0.2],
  ["ES", "España", "Barcelona, España", "city", 2, 2.17, 41.39, 0.1],
  ["FR", "France", "Paris, France", "city", 3, 2.35, 48.86, 0.1],
  ["FR", "France", "Île-de-France, France", "admin", 1, 2.5, 48.7, 0.8],
  ["DE", "Deutschland", "Berlin, Deutschland", "city", 1, 13.4, 52.52, 0.2],
  ["DE", "Deutschland", "München, Bayern", "city", 1, 11.58, 48.14, 0.15],
  ["CH", "Schweiz", "Zürich, Schweiz", "city", 0.5, 8.54, 47.37, 0.05],
  ["IT", "Italia", "Roma, Lazio", "city", 1, 12.5, 41.9, 0.2],
  ["NL", "Nederland", "Amsterdam, Nederland", "city", 0.5, 4.9, 52.37, 0.1],
  ["TR", "Türkiye", "İstanbul, Türkiye", "city", 2, 28.98, 41.01, 0.4],
  ["RU", "Россия", "Москва, Россия", "city", 1, 37.62, 55.75, 0.3],
  ["JP", "日本", "東京 港区", "city", 3, 139.75, 35.66, 0.05],
  ["JP", "日本", "Osaka-shi, Osaka", "city", 2, 135.5, 34.69, 0.1],
  ["KR", "대한민국", "서울특별시, 대한민국", "city", 1, 126.98, 37.57, 0.2],
  ["IN", "India", "Mumbai, India", "city", 3, 72.88, 19.08, 0.2],
  ["IN", "India", "New Delhi, India", "city", 2, 77.21, 28.61, 0.2],
  ["ID", "Indonesia", "Jakarta Capital Region, Indonesia", "admin", 2, 106.85, -6.21, 0.3],
  [
    "PH",
    "Republic of the Philippines",
    "Manila City, National Capital Region",
    "city",
    2,
    120.98,
    14.6,
    0.05,
  ],
  ["TH", "ประเทศไทย", "กรุงเทพมหานคร, ประเทศไทย", "city", 1, 100.5, 13.75, 0.3],
  [
    "SA",
    "المملكة العربية السعودية",
    "الرياض, المملكة العربية السعودية",
    "city",
    1.5,
    46.68,
    24.71,
    0.4,
  ],
  ["AE", "United Arab Emirates", "Dubai, United Arab Emirates", "city", 1, 55.27, 25.2, 0.3],
  ["EG", "Egypt", "Cairo, Egypt", "city", 0.5, 31.24, 30.04, 0.2],
  ["NG", "Nigeria", "Lagos, Nigeria", "city", 2, 3.38, 6.52, 0.3],
  ["ZA", "South Africa", "Johannesburg, South Africa", "city", 1, 28.05, -26.2, 0.3],
  ["KE", "Kenya", "Nairobi, Kenya", "city", 0.5, 36.82, -1.29, 0.2],
  ["AU", "Australia", "Sydney, New South Wales", "city", 1, 151.21, -33.87, 0.4],
  ["NZ", "New Zealand", "Auckland, New Zealand", "city", 0.3, 174.76, -36.85, 0.3],
];

const PLACE_TABLE = PLACES.map((p) => [p, p[4]] as const);

/** A tweet's `place`, drawn by weight, and a point inside its box (its `coordinates`). */
export function placeObject(rng: Rng): { place: JsonValue; point: [number, number] } {
  const [cc, country, fullName, placeType, , lon, lat, half] = rng.weighted(PLACE_TABLE);
  const w = half * (0.7 + rng.float() * 0.6);
  const box = [
    [lon - w, lat - w],
    [lon - w, lat + w],
    [lon + w, lat + w],
    [lon + w, lat - w],
  ];
  const id =
    hashString(fullName).toString(16).padStart(8, "0") +
    hashString(country).toString(16).padStart(8, "0");
  const name = placeType === "country" ? country : (fullName.split(",")[0] as string);
  return {
    place: {
      id,
      url: `https://api.twitter.com/1.1/geo/id/${id}.json`,
      place_type: placeType,
      name,
      full_name: fullName,
      country_code: cc,
      country,
      bounding_box: {
        type: "Polygon",
        coordinates: [box.map(([x, y]) => [fixed(x as number, 6), fixed(y as number, 6)])],
      },
      attributes: {},
    },
    point: [lon - w + rng.float() * 2 * w, lat - w + rng.float() * 2 * w],
  };
}
